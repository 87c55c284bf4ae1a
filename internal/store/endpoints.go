package store

import (
	"slices"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/validate"
)

// Novu's rules for channel endpoints (apps/api/src/app/channel-endpoints/
// usecases), each applied in one store operation under the write lock.

// NewEndpoint is what a create request asks for.
type NewEndpoint struct {
	// Identifier is the endpoint's identifier; "" generates one.
	Identifier            string
	IntegrationIdentifier string
	ConnectionIdentifier  string
	SubscriberID          string
	// ContextKeys are the keys of the request's context, sorted.
	ContextKeys []string
	Type        EndpointType
	Endpoint    map[string]any
	// CreateSubscriberIfMissing makes an unknown subscriber bare instead
	// of Novu's 404.
	CreateSubscriberIfMissing bool
}

// EndpointFilter selects the endpoints of a list; zero fields select all.
// ContextKeys works as in ConnectionFilter.
type EndpointFilter struct {
	SubscriberID          string
	Channel               Channel
	ProviderID            string
	IntegrationIdentifier string
	ConnectionIdentifier  string
	ContextKeys           []string
}

func (f EndpointFilter) match(e *Endpoint) bool {
	return (f.SubscriberID == "" || e.SubscriberID == f.SubscriberID) &&
		(f.Channel == "" || e.Channel == f.Channel) &&
		(f.ProviderID == "" || e.ProviderID == f.ProviderID) &&
		(f.IntegrationIdentifier == "" || e.IntegrationIdentifier == f.IntegrationIdentifier) &&
		(f.ConnectionIdentifier == "" || e.ConnectionIdentifier == f.ConnectionIdentifier) &&
		sameKeys(f.ContextKeys, e.ContextKeys)
}

// requirement is the integration an endpoint type needs: its provider and
// how Novu names it in messages, with its article. tool marks the four tool
// types (contract J), which never look a connection up; label, how Novu
// names the endpoint in its one-per-subscriber 409, is set for the two that
// a unique index guards (PagerDuty and Opsgenie: J3).
type requirement struct {
	provider, article, label string
	tool                     bool
}

// endpointNeeds are the endpoint types tied to one provider.
var endpointNeeds = map[EndpointType]requirement{
	EndpointPagerDuty:     {providers.PagerDuty, "a PagerDuty", "PagerDuty", true},
	EndpointOpsgenie:      {providers.Opsgenie, "an Opsgenie", "Opsgenie", true},
	EndpointGrafanaOnCall: {providers.Grafana, "a Grafana", "", true},
	EndpointToolWebhook:   {providers.ToolWebhook, "a Tool webhook", "", true},
	EndpointWebexRoom:     {providers.WebexMessaging, "a Webex Messaging", "", false},
	EndpointWebexPerson:   {providers.WebexMessaging, "a Webex Messaging", "", false},
}

// tool reports whether the type is one of the four tool types: Novu keeps
// their secret on the endpoint itself, never on a connection, so a
// connectionIdentifier is ignored and answered as null (J1).
func (t EndpointType) tool() bool { return endpointNeeds[t].tool }

// unique reports whether a subscriber may have only one endpoint of the
// type per integration (Novu's partial unique index, J3).
func (t EndpointType) unique() bool { return endpointNeeds[t].label != "" }

func (t EndpointType) webex() bool { return t == EndpointWebexRoom || t == EndpointWebexPerson }

// checkEndpointShape applies the shape of the endpoint's type.
func checkEndpointShape(t EndpointType, m map[string]any) error {
	if !validate.Endpoint(string(t), m) {
		return errs.Errorf(errs.Invalid, "%s", validate.EndpointFormat(string(t)))
	}
	return nil
}

// CreateEndpoint adds a channel endpoint under Novu's rules and returns it.
func (s *Store) CreateEndpoint(c Caller, n NewEndpoint) (Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Endpoint{}, err
	}
	w, e, err := s.planEndpoint(env, n, nil, MustExistOrCreate)
	if err != nil {
		return Endpoint{}, err
	}
	if err := s.commit(w.parts()); err != nil {
		return Endpoint{}, err
	}
	return e.clone(), nil
}

// planEndpoint checks a new endpoint against every rule, in Novu's order
// (shape, integration, subscriber under rule, identifier, provider), and
// returns the write that adds it, with the record. The connection it names
// is looked up in the environment, or is pending: one the same change
// makes. The write lock must be held.
func (s *Store) planEndpoint(env *envState, n NewEndpoint, pending *Connection, rule SubscriberRule) (write, *Endpoint, error) {
	if err := checkEndpointShape(n.Type, n.Endpoint); err != nil {
		return write{}, nil, err
	}
	if err := s.room(env, limits.ChannelEndpoints, 1); err != nil {
		return write{}, nil, err
	}
	it, _, ok := env.liveIntegration(n.IntegrationIdentifier)
	if !ok {
		return write{}, nil, errs.Errorf(errs.NotFound, "Integration not found: %s", n.IntegrationIdentifier)
	}
	if n.CreateSubscriberIfMissing && rule == MustExistOrCreate {
		rule = CreateIfMissing
	}
	need, err := s.subscriberNeed(env, n.SubscriberID, rule)
	if err != nil {
		return write{}, nil, err
	}
	id := n.Identifier
	if id == "" {
		id = s.freeIdentifier("chendp_", func(x string) bool { _, taken := env.channels.endIDs[x]; return taken })
	} else if _, taken := env.channels.endIDs[id]; taken {
		return write{}, nil, errs.Errorf(errs.Conflict, "Channel endpoint with identifier %q already exists in environment %q", id, env.ID)
	}
	if need, ok := endpointNeeds[n.Type]; ok && it.ProviderID != need.provider {
		return write{}, nil, errs.Errorf(errs.Invalid, "Channel endpoint type %q requires %s integration", n.Type, need.article)
	}
	if n.Type == EndpointToolWebhook && it.Credentials.Map()["routingMode"] != "dynamic" {
		return write{}, nil, errs.Errorf(errs.Invalid, "tool_webhook endpoints require the Tool webhook integration to use dynamic routingMode")
	}
	if n.Type.webex() && n.ConnectionIdentifier == "" {
		return write{}, nil, errs.Errorf(errs.Invalid, "Channel endpoint type %q requires a connectionIdentifier", n.Type)
	}
	keys := append([]string{}, n.ContextKeys...)
	if n.Type.tool() {
		n.ConnectionIdentifier = "" // never looked up (J1)
	}
	if n.ConnectionIdentifier != "" {
		con, ok := env.channels.connIDs[n.ConnectionIdentifier]
		if pending != nil && pending.Identifier == n.ConnectionIdentifier {
			con, ok = pending, true
		}
		if !ok || con.IntegrationIdentifier != it.Identifier {
			return write{}, nil, errs.Errorf(errs.NotFound, "Channel connection not found: %s", n.ConnectionIdentifier)
		}
		if n.Type.webex() && !slices.Equal(keys, con.ContextKeys) {
			return write{}, nil, errs.Errorf(errs.Invalid, "Webex endpoint context must match channel connection %q context", n.ConnectionIdentifier)
		}
	}
	if n.Type.unique() {
		if _, taken := env.channels.uniqueSlots[uniqueSlot(it.Identifier, n.SubscriberID, n.Type)]; taken {
			return write{}, nil, errs.Errorf(errs.Conflict, "%s endpoint already exists for subscriber %q on integration %q",
				endpointNeeds[n.Type].label, n.SubscriberID, it.Identifier)
		}
	}
	now := s.timestamp()
	e := &Endpoint{
		Identifier: id, EnvironmentID: env.ID, IntegrationIdentifier: it.Identifier,
		ConnectionIdentifier: n.ConnectionIdentifier, ProviderID: it.ProviderID, Channel: it.Channel,
		SubscriberID: n.SubscriberID, ContextKeys: keys, Type: n.Type, Endpoint: ObjectOf(n.Endpoint),
		CreatedAt: now, UpdatedAt: now,
	}
	return need.and(write{
		change: change{envs: envs(env), grow: e.size(), adds: []addition{{env, limits.ChannelEndpoints}}},
		apply: func() {
			e.Cursor = s.newCursor()
			env.channels.addEnd(e)
		},
	}), e, nil
}

// Endpoint returns one endpoint of the caller's environment.
func (s *Store) Endpoint(c Caller, identifier string) (Endpoint, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Endpoint{}, err
	}
	e, ok := env.channels.endIDs[identifier]
	if !ok {
		return Endpoint{}, errs.Errorf(errs.NotFound, "Channel endpoint with identifier '%s' not found", identifier)
	}
	return e.clone(), nil
}

// UpdateEndpoint replaces an endpoint's value, which must have the shape
// of the endpoint's type.
func (s *Store) UpdateEndpoint(c Caller, identifier string, value map[string]any) (Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Endpoint{}, err
	}
	e, ok := env.channels.endIDs[identifier]
	if !ok {
		return Endpoint{}, errs.Errorf(errs.NotFound, "Channel endpoint with identifier %q not found in environment %q", identifier, env.ID)
	}
	if err := checkEndpointShape(e.Type, value); err != nil {
		return Endpoint{}, err
	}
	after := *e
	after.Endpoint, after.UpdatedAt = ObjectOf(value), s.timestamp()
	if err := s.commit(change{envs: envs(env), grow: after.size() - e.size()}, func() { *e = after }); err != nil {
		return Endpoint{}, err
	}
	return e.clone(), nil
}

// DeleteEndpoint removes an endpoint for good.
func (s *Store) DeleteEndpoint(c Caller, identifier string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return err
	}
	e, ok := env.channels.endIDs[identifier]
	if !ok {
		return errs.Errorf(errs.NotFound, "Channel endpoint with identifier '%s' not found", identifier)
	}
	return s.commit(change{envs: envs(env), grow: -e.size()}, func() { env.channels.removeEnd(e) })
}

func endpointKey(e *Endpoint, byUpdated bool) pageKey {
	if byUpdated {
		return pageKey{e.UpdatedAt.Time, e.Cursor}
	}
	return pageKey{e.CreatedAt.Time, e.Cursor}
}

// ListEndpoints returns one page of the caller environment's endpoints
// that match the filter.
func (s *Store) ListEndpoints(c Caller, f EndpointFilter, q PageQuery) (Page[Endpoint], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Page[Endpoint]{}, err
	}
	recs, info, err := paginate(env.channels.ends, q, endpointKey, f.match)
	if err != nil {
		return Page[Endpoint]{}, err
	}
	return pageOf(recs, info, func(e *Endpoint) Endpoint { return e.clone() }), nil
}

// Endpoints returns every endpoint of an environment in creation order,
// for the control plane.
func (s *Store) Endpoints(envID string) []Endpoint {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []Endpoint{}
	if e, ok := s.envs[envID]; ok {
		for _, x := range e.channels.ends {
			out = append(out, x.clone())
		}
	}
	return out
}
