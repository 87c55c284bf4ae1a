package store

import (
	"maps"
	"slices"

	"github.com/novumock/novumock/internal/errs"
)

// ResetEnvironment puts one environment's integrations, channel connections,
// channel endpoints, subscribers and API keys back as they are in baseline; an environment baseline does not hold (a tenant, one
// made at run time or imported) is emptied of integrations and keeps its
// keys. What the baseline's records and keys became since (moved to another
// environment, taken by an import) is taken back, and the environments they
// leave are renumbered. The result is built and checked whole before it
// replaces anything, like a Load: it can fail (an errs.Error with code
// Conflict saying why, or one whose Bound is set), and then nothing changes. Nothing else is
// touched: other environments keep their content, the run-time counts
// theirs.
func (s *Store) ResetEnvironment(envID string, baseline Dataset) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.envs[envID]
	if !ok {
		return errs.Errorf(errs.NotFound, "Environment with id %s not found", envID)
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
	ds.Subscribers = slices.DeleteFunc(ds.Subscribers, func(x Subscriber) bool { return x.EnvironmentID == envID })
	for _, x := range baseline.Subscribers {
		if x.EnvironmentID == envID {
			x.OrganizationID = e.OrganizationID
			ds.Subscribers = append(ds.Subscribers, x)
		}
	}

	st, err := build(ds, s.limits, slices.Collect(maps.Keys(left))...)
	if err != nil {
		return errs.Errorf(errs.Conflict, "Environment %s cannot be reset to its starting data: %v", envID, err)
	}
	return s.commit(change{replace: st}, func() {})
}
