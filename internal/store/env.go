package store

import "slices"

func newEnvState(e Environment) *envState {
	return &envState{Environment: e, identifiers: map[string]*Integration{}, ranks: map[Channel]*rank{},
		channels: newChannelState(), subscribers: newSubscriberState()}
}

// addLive appends a live record to the environment and its indexes.
func (e *envState) addLive(it *Integration) {
	e.live = append(e.live, it)
	if it.Identifier != "" {
		e.identifiers[it.Identifier] = it
	}
}

// removeLive takes a live record out of the environment and its indexes.
func (e *envState) removeLive(it *Integration) {
	e.live = slices.DeleteFunc(e.live, func(x *Integration) bool { return x == it })
	if e.identifiers[it.Identifier] == it {
		delete(e.identifiers, it.Identifier)
	}
	if r := e.ranks[it.Channel]; r != nil && (r.top == it || r.primary == it) {
		e.reindexRank(it.Channel)
	}
}

// rename changes a live record's identifier in the index.
func (e *envState) rename(it *Integration, identifier string) {
	if e.identifiers[it.Identifier] == it {
		delete(e.identifiers, it.Identifier)
	}
	it.Identifier = identifier
	if identifier != "" {
		e.identifiers[identifier] = it
	}
}

// identifierTaken reports whether a live integration of the environment,
// other than skip, uses the identifier. "" is never taken: any number of
// integrations may carry it (Novu skips its uniqueness check for a falsy
// identifier, contract M1), and the index leaves them out.
func (e *envState) identifierTaken(identifier string, skip *Integration) bool {
	it, ok := e.identifiers[identifier]
	return ok && it != skip
}

// hasAgent reports whether a live agent integration of the environment has
// the provider.
func (e *envState) hasAgent(providerID string) bool {
	for _, it := range e.live {
		if it.ProviderID == providerID && it.Kind == KindAgent {
			return true
		}
	}
	return false
}

// hasProvider reports whether a live integration of the environment has the
// provider and channel. It scans: it is only asked for Novu's own demo
// providers, of which an environment holds one each.
func (e *envState) hasProvider(providerID string, ch Channel) bool {
	for _, it := range e.live {
		if it.ProviderID == providerID && it.Channel == ch {
			return true
		}
	}
	return false
}
