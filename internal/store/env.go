package store

import "slices"

func newEnvState(e Environment, tab *table) *envState {
	return &envState{Environment: e, tab: tab, identifiers: newTextIndex(tab, fIdentifier), ranks: map[Channel]*rank{},
		channels: newChannelState(), subscribers: newSubscriberState()}
}

// addLive appends a live record to the environment and its indexes.
func (e *envState) addLive(h handle) {
	e.live = append(e.live, h)
	e.reindex(h)
}

// removeLive takes a live record out of the environment and its indexes.
func (e *envState) removeLive(h handle) {
	e.live = slices.DeleteFunc(e.live, func(x handle) bool { return x == h })
	e.unindex(h)
	ch := e.tab.channel(h)
	if r := e.ranks[ch]; r != nil && (r.top == h || r.primary == h) {
		e.reindexRank(ch)
	}
}

// unindex takes a live record's identifier out of the index, before its
// text changes; reindex puts it back after.
func (e *envState) unindex(h handle) { e.identifiers.remove(e.tab.str(h, fIdentifier), h) }

func (e *envState) reindex(h handle) {
	if id := e.tab.str(h, fIdentifier); id != "" {
		e.identifiers.put(id, h)
	}
}

// identifierTaken reports whether a live integration of the environment,
// other than skip, uses the identifier. "" is never taken: any number of
// integrations may carry it (Novu skips its uniqueness check for a falsy
// identifier, contract M1), and the index leaves them out.
func (e *envState) identifierTaken(identifier string, skip handle) bool {
	h, ok := e.identifiers.get(identifier)
	return ok && h != skip
}

// liveIntegration returns the environment's live integration with the
// identifier.
func (e *envState) liveIntegration(identifier string) (Integration, handle, bool) {
	if identifier == "" {
		return Integration{}, 0, false
	}
	h, ok := e.identifiers.get(identifier)
	if !ok {
		return Integration{}, 0, false
	}
	return e.tab.get(h), h, true
}

// hasAgent reports whether a live agent integration of the environment has
// the provider.
func (e *envState) hasAgent(providerID string) bool {
	for _, h := range e.live {
		if e.tab.str(h, fProviderID) == providerID && Kind(e.tab.str(h, fKind)) == KindAgent {
			return true
		}
	}
	return false
}

// hasProvider reports whether a live integration of the environment has the
// provider and channel. It scans: it is only asked for Novu's own demo
// providers, of which an environment holds one each.
func (e *envState) hasProvider(providerID string, ch Channel) bool {
	for _, h := range e.live {
		if e.tab.str(h, fProviderID) == providerID && e.tab.channel(h) == ch {
			return true
		}
	}
	return false
}
