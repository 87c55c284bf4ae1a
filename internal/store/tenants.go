package store

import "fmt"

// EnsureTenant returns the caller an API key authenticates. An unknown key
// gets a fresh, empty organization with one environment holding the key (a
// tenant), so that test runs sharing one mock never see each other's data.
// It fails with LimitReached when the store's cap on organizations created
// at run time is reached. (KeyCaller is the cheap look-up of a known key.)
func (s *Store) EnsureTenant(key string) (Caller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[key]; ok { // known, or made by a request meanwhile
		return k.caller(), nil
	}
	short := key
	if len(short) > 8 {
		short = short[:8]
	}
	o, err := s.newOrg("Tenant " + short)
	if err != nil {
		return Caller{}, err
	}
	s.newEnv(o, "Development", APIKey{Key: key, UserID: s.ids.ObjectID(s.now())})
	return s.keys[key].caller(), nil
}

// checkOrgLimit refuses one more run-time organization past the cap.
func (s *Store) checkOrgLimit() error {
	if s.maxOrgs > 0 && s.createdOrgs >= s.maxOrgs {
		return errorf(LimitReached, "Organization limit reached: %d organizations (tenants) were created since the last reset; reset the mock or raise --max-tenants", s.maxOrgs)
	}
	return nil
}

// ResetEnvironment puts one environment's integrations and API keys back
// as they are in baseline; an environment baseline does not hold (a tenant,
// or one made at run time) is emptied of integrations and keeps its keys.
// Records of the baseline that moved to another environment are taken
// back. Other environments are otherwise untouched.
func (s *Store) ResetEnvironment(envID string, baseline Dataset) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.envs[envID]
	if !ok {
		return errorf(NotFound, "Environment with id %s not found", envID)
	}
	var restore []*Integration
	for _, in := range baseline.Integrations {
		if in.EnvironmentID == envID {
			it := in
			restore = append(restore, &it)
		}
	}
	for _, it := range append(append([]*Integration{}, e.live...), e.deleted...) {
		delete(s.byID, it.ID)
	}
	e.live, e.deleted = nil, nil
	for _, it := range restore {
		if moved, ok := s.byID[it.ID]; ok {
			other := s.envs[moved.EnvironmentID]
			other.removeLive(moved)
			other.deleted = deleteFrom(other.deleted, moved)
			for _, ch := range []Channel{ChannelEmail, ChannelSMS} {
				other.renumber(ch, nil)
			}
			s.touch(other)
		}
		s.byID[it.ID] = it
		if it.Deleted {
			e.deleted = append(e.deleted, it)
		} else {
			e.live = append(e.live, it)
		}
	}
	for _, env := range baseline.Environments {
		if env.ID != envID {
			continue
		}
		for _, k := range e.APIKeys {
			delete(s.keys, k.Key)
		}
		e.APIKeys = env.clone().APIKeys
		for _, k := range e.APIKeys {
			s.keys[k.Key] = keyState{env: e, userID: k.UserID}
		}
	}
	s.touch(e)
	if err := e.checkRanking(); err != nil {
		return fmt.Errorf("store: reset of %s broke an invariant: %w", envID, err)
	}
	return nil
}

func deleteFrom(list []*Integration, it *Integration) []*Integration {
	out := list[:0]
	for _, x := range list {
		if x != it {
			out = append(out, x)
		}
	}
	return out
}
