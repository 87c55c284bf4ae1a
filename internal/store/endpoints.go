package store

import (
	"slices"

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

// requirement is the integration an endpoint type needs: its provider, how
// Novu names it in messages with its article, and how it names the
// endpoint in its one-per-subscriber conflict (tool types only).
type requirement struct {
	provider, article, tool string
}

// endpointNeeds are the endpoint types tied to one provider.
var endpointNeeds = map[EndpointType]requirement{
	EndpointPagerDuty:     {"pagerduty", "a PagerDuty", "PagerDuty"},
	EndpointOpsgenie:      {"opsgenie", "an Opsgenie", "Opsgenie"},
	EndpointGrafanaOnCall: {"grafana", "a Grafana", "Grafana"},
	EndpointToolWebhook:   {"tool-webhook", "a Tool webhook", "Tool webhook"},
	EndpointWebexRoom:     {"webex-messaging", "a Webex Messaging", ""},
	EndpointWebexPerson:   {"webex-messaging", "a Webex Messaging", ""},
}

// tool reports whether the type is one of the four tool types, of which a
// subscriber has one per integration.
func (t EndpointType) tool() bool { return endpointNeeds[t].tool != "" }

func (t EndpointType) webex() bool { return t == EndpointWebexRoom || t == EndpointWebexPerson }

// checkEndpointShape applies the shape of the endpoint's type.
func checkEndpointShape(t EndpointType, m map[string]any) error {
	if !validate.Endpoint(string(t), m) {
		return errorf(Invalid, "%s", validate.EndpointFormat(string(t)))
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
	e, err := s.newEndpoint(env, n)
	if err != nil {
		return Endpoint{}, err
	}
	return e.clone(), nil
}

// newEndpoint checks a new endpoint against every rule and bound, then
// adds it. The write lock must be held.
func (s *Store) newEndpoint(env *envState, n NewEndpoint) (*Endpoint, error) {
	if err := checkEndpointShape(n.Type, n.Endpoint); err != nil {
		return nil, err
	}
	if err := s.checkRoomFor(ChannelEndpoints, len(env.channels.ends), env); err != nil {
		return nil, err
	}
	it, ok := env.liveIntegration(n.IntegrationIdentifier)
	if !ok {
		return nil, errorf(NotFound, "Integration not found: %s", n.IntegrationIdentifier)
	}
	id := n.Identifier
	if id == "" {
		id = s.freeIdentifier("chendp_", func(x string) bool { _, taken := env.channels.endIDs[x]; return taken })
	} else if _, taken := env.channels.endIDs[id]; taken {
		return nil, errorf(Conflict, "Channel endpoint with identifier %q already exists in environment %q", id, env.ID)
	}
	if need, ok := endpointNeeds[n.Type]; ok && it.ProviderID != need.provider {
		return nil, errorf(Invalid, "Channel endpoint type %q requires %s integration", n.Type, need.article)
	}
	if n.Type == EndpointToolWebhook && it.Credentials.Map()["routingMode"] != "dynamic" {
		return nil, errorf(Invalid, "tool_webhook endpoints require the Tool webhook integration to use dynamic routingMode")
	}
	if n.Type.webex() && n.ConnectionIdentifier == "" {
		return nil, errorf(Invalid, "Channel endpoint type %q requires a connectionIdentifier", n.Type)
	}
	keys := append([]string{}, n.ContextKeys...)
	if n.ConnectionIdentifier != "" {
		con, ok := env.channels.connIDs[n.ConnectionIdentifier]
		if !ok || con.IntegrationIdentifier != it.Identifier {
			return nil, errorf(NotFound, "Channel connection not found: %s", n.ConnectionIdentifier)
		}
		if n.Type.webex() && !slices.Equal(keys, con.ContextKeys) {
			return nil, errorf(Invalid, "Webex endpoint context must match channel connection %q context", n.ConnectionIdentifier)
		}
	}
	if n.Type.tool() {
		if _, taken := env.channels.toolSlots[toolSlot(it.Identifier, n.SubscriberID)]; taken {
			return nil, errorf(Conflict, "%s endpoint already exists for subscriber %q on integration %q",
				endpointNeeds[n.Type].tool, n.SubscriberID, it.Identifier)
		}
	}
	now := s.timestamp()
	e := &Endpoint{
		Identifier: id, EnvironmentID: env.ID, IntegrationIdentifier: it.Identifier,
		ConnectionIdentifier: n.ConnectionIdentifier, ProviderID: it.ProviderID, Channel: it.Channel,
		SubscriberID: n.SubscriberID, ContextKeys: keys, Type: n.Type, Endpoint: ObjectOf(n.Endpoint),
		CreatedAt: now, UpdatedAt: now,
	}
	if err := s.checkBytes(e.size()); err != nil {
		return nil, err
	}
	e.Cursor = s.newCursor()
	env.channels.addEnd(e)
	s.bytes += e.size()
	return e, nil
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
		return Endpoint{}, errorf(NotFound, "Channel endpoint with identifier '%s' not found", identifier)
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
		return Endpoint{}, errorf(NotFound, "Channel endpoint with identifier %q not found in environment %q", identifier, env.ID)
	}
	if err := checkEndpointShape(e.Type, value); err != nil {
		return Endpoint{}, err
	}
	after := *e
	after.Endpoint = ObjectOf(value)
	if err := s.checkBytes(after.size() - e.size()); err != nil {
		return Endpoint{}, err
	}
	s.bytes += after.size() - e.size()
	e.Endpoint, e.UpdatedAt = after.Endpoint, s.timestamp()
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
		return errorf(NotFound, "Channel endpoint with identifier '%s' not found", identifier)
	}
	env.channels.removeEnd(e)
	s.bytes -= e.size()
	return nil
}

func endpointKey(e *Endpoint, byUpdated bool) pageKey {
	if byUpdated {
		return pageKey{e.UpdatedAt, e.Cursor}
	}
	return pageKey{e.CreatedAt, e.Cursor}
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
