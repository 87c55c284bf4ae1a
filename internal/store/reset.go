package store

import (
	"cmp"
	"slices"
)

// ResetEnvironment puts one environment's integrations, channel connections,
// channel endpoints and API keys back as they are in baseline; an environment baseline does not hold (a tenant, one
// made at run time or imported) is emptied of integrations and keeps its
// keys. What the baseline's records and keys became since (moved to another
// environment, taken by an import) is taken back, and the environments they
// leave are renumbered. The result is built and checked whole before it
// replaces anything, like a Load: it can fail (a *Error with code Conflict
// saying why, or a *LimitError), and then nothing changes. Nothing else is
// touched: other environments keep their content, the run-time counts
// theirs.
func (s *Store) ResetEnvironment(envID string, baseline Dataset) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.envs[envID]
	if !ok {
		return errorf(NotFound, "Environment with id %s not found", envID)
	}
	ds := s.dataset()

	var base []Integration
	taken := map[string]bool{} // ids the reset takes back from wherever they are
	for _, it := range baseline.Integrations {
		if it.EnvironmentID == envID {
			it.OrganizationID = e.OrganizationID // the environment's organization now
			base = append(base, it)
			taken[it.ID] = true
		}
	}
	var keys []APIKey
	hasBaseline := false
	for _, be := range baseline.Environments {
		if be.ID == envID {
			keys, hasBaseline = slices.Clone(be.APIKeys), true
		}
	}
	takenKeys := map[string]bool{}
	for _, k := range keys {
		takenKeys[k.Key] = true
	}

	left := map[string]bool{} // environments a record was taken from
	out := ds.Integrations[:0]
	for _, it := range ds.Integrations {
		switch {
		case it.EnvironmentID == envID:
		case taken[it.ID]:
			left[it.EnvironmentID] = true
		default:
			out = append(out, it)
		}
	}
	ds.Integrations = append(out, base...)
	for i := range ds.Environments {
		env := &ds.Environments[i]
		switch {
		case env.ID == envID && hasBaseline:
			env.APIKeys = keys
		case env.ID != envID:
			env.APIKeys = slices.DeleteFunc(env.APIKeys, func(k APIKey) bool { return takenKeys[k.Key] })
		}
	}
	for id := range left {
		renumberDataset(ds.Integrations, id)
	}
	// The environment's connections and endpoints are the baseline's; in
	// the environments its integrations were taken back from, those of
	// the taken integrations go.
	ds.ChannelConnections = slices.DeleteFunc(ds.ChannelConnections, func(c Connection) bool { return c.EnvironmentID == envID })
	ds.ChannelEndpoints = slices.DeleteFunc(ds.ChannelEndpoints, func(x Endpoint) bool { return x.EnvironmentID == envID })
	for _, c := range baseline.ChannelConnections {
		if c.EnvironmentID == envID {
			ds.ChannelConnections = append(ds.ChannelConnections, c.clone())
		}
	}
	for _, x := range baseline.ChannelEndpoints {
		if x.EnvironmentID == envID {
			ds.ChannelEndpoints = append(ds.ChannelEndpoints, x.clone())
		}
	}
	ds.pruneChannels(left)

	st, err := build(ds, s.limits)
	if err != nil {
		return errorf(Conflict, "Environment %s cannot be reset to its starting data: %v", envID, err)
	}
	s.swap(st)
	return nil
}

// renumberDataset gives the active ranked records of one environment of a
// dataset the priorities N..1 in their current order, per channel, as the
// store does when a record leaves.
func renumberDataset(its []Integration, envID string) {
	for _, ch := range rankedChannels {
		var active []*Integration
		for i := range its {
			it := &its[i]
			if it.EnvironmentID == envID && !it.Deleted && it.Active && it.Channel == ch && it.Ranked() {
				active = append(active, it)
			}
		}
		slices.SortStableFunc(active, func(a, b *Integration) int { return cmp.Compare(b.Priority, a.Priority) })
		for i, it := range active {
			it.Priority = len(active) - i
		}
	}
}
