package store

import (
	"fmt"
	"slices"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/providers"
)

// Novu's rules for channel connections (apps/api/src/app/channel-
// connections/usecases), each applied in one store operation under the
// write lock. A subscriber a connection names must exist (subscribers.go),
// as in Novu.

// NewConnection is what a create request asks for.
type NewConnection struct {
	// Identifier is the connection's identifier; "" generates one.
	Identifier            string
	IntegrationIdentifier string
	SubscriberID          string
	// ContextKeys are the keys of the request's context ("type:id",
	// sorted); none when it has no context.
	ContextKeys []string
	// ConnectionMode is "", ModeSubscriber or ModeShared. In shared mode
	// the subscriber is not stored (it must exist all the same).
	ConnectionMode string
	Workspace      Workspace
	Auth           Auth
}

// ConnectionFilter selects the connections of a list; zero fields select
// all.
type ConnectionFilter struct {
	SubscriberID          string
	ConnectionMode        string
	Channel               Channel
	ProviderID            string
	IntegrationIdentifier string
	// ContextKeys, when not nil, keeps the connections whose context keys
	// are exactly these, in any order; an empty non-nil slice keeps those
	// without context.
	ContextKeys []string
}

func (f ConnectionFilter) match(c *Connection) bool {
	return (f.SubscriberID == "" || c.SubscriberID == f.SubscriberID) &&
		(f.ConnectionMode == "" || c.Mode() == f.ConnectionMode) &&
		(f.Channel == "" || c.Channel == f.Channel) &&
		(f.ProviderID == "" || c.ProviderID == f.ProviderID) &&
		(f.IntegrationIdentifier == "" || c.IntegrationIdentifier == f.IntegrationIdentifier) &&
		sameKeys(f.ContextKeys, c.ContextKeys)
}

// sameKeys reports whether stored keys (sorted) are exactly the wanted
// set; a nil want matches everything.
func sameKeys(want, stored []string) bool {
	if want == nil {
		return true
	}
	want = slices.Compact(slices.Sorted(slices.Values(want)))
	return slices.Equal(want, stored)
}

// channelEnv returns the caller's environment for a connection or endpoint
// operation.
func (s *Store) channelEnv(c Caller) (*envState, error) {
	e, ok := s.envs[c.EnvironmentID]
	if !ok || e.OrganizationID != c.OrganizationID {
		return nil, errs.Errorf(errs.NotFound, "Environment with id %s not found", c.EnvironmentID)
	}
	return e, nil
}

// checkConnectionMode applies Novu's validateConnectionMode: what a
// connection of each mode needs.
func checkConnectionMode(mode, subscriberID string, contextKeys []string) error {
	switch mode {
	case ModeShared:
		if len(contextKeys) == 0 {
			return errs.Errorf(errs.Invalid, `context is required when connectionMode is "shared"`)
		}
	case ModeSubscriber:
		if subscriberID == "" {
			return errs.Errorf(errs.Invalid, `subscriberId is required when connectionMode is "subscriber"`)
		}
	default:
		if subscriberID == "" && len(contextKeys) == 0 {
			return errs.Errorf(errs.Invalid, "Either subscriberId or context must be provided")
		}
	}
	return nil
}

// CreateConnection adds a channel connection under Novu's rules and returns
// it.
func (s *Store) CreateConnection(c Caller, n NewConnection) (Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Connection{}, err
	}
	if err := s.room(env, limits.ChannelConnections, 1); err != nil {
		return Connection{}, err
	}
	if err := checkConnectionMode(n.ConnectionMode, n.SubscriberID, n.ContextKeys); err != nil {
		return Connection{}, err
	}
	it, _, ok := env.liveIntegration(n.IntegrationIdentifier)
	if !ok {
		return Connection{}, errs.Errorf(errs.NotFound, "Integration not found: %s", n.IntegrationIdentifier)
	}
	if n.Auth, err = s.rotatingAuth(it, n.Auth); err != nil {
		return Connection{}, err
	}
	w, con, err := s.planConnection(env, it, n, MustExist)
	if err != nil {
		return Connection{}, err
	}
	if err := s.commit(w.change, w.apply); err != nil {
		return Connection{}, err
	}
	return con.clone(), nil
}

// rotatingAuth applies Novu's rules for a rotating refresh token (contract
// K1, validateAndNormalizeConnectionAuth) once the connection's integration
// is known: only Slack, Novu's Slack and Webex keep one, Slack and Webex
// only with the integration's clientId and secretKey, and a token without
// expiresAt expires now. Without a refresh token, auth is as given.
func (s *Store) rotatingAuth(it Integration, a Auth) (Auth, error) {
	if a.RefreshToken == "" {
		return a, nil
	}
	if !providers.RotatesTokens(it.ProviderID) {
		return Auth{}, errs.Errorf(errs.Invalid,
			`Token rotation is not supported for provider "%s". Remove refreshToken from the connection auth.`, it.ProviderID)
	}
	creds := it.Credentials.Map()
	if it.ProviderID != providers.NovuSlack && (!hasText(creds, "clientId") || !hasText(creds, "secretKey")) {
		return Auth{}, errs.Errorf(errs.Invalid,
			`Integration "%s" must have clientId and secretKey configured to store a rotating refresh token.`, it.Identifier)
	}
	if a.ExpiresAt == "" {
		a.ExpiresAt = s.timestamp().String()
	}
	return a, nil
}

// planConnection checks a new connection's subscriber (under rule) and
// uniqueness, and returns the write that adds it, with the record it adds.
// The write lock must be held and the mode and integration checked.
func (s *Store) planConnection(env *envState, it Integration, n NewConnection, rule SubscriberRule) (write, *Connection, error) {
	need, err := s.subscriberNeed(env, n.SubscriberID, rule)
	if err != nil {
		return write{}, nil, err
	}
	subscriber := n.SubscriberID
	if n.ConnectionMode == ModeShared {
		subscriber = ""
	}
	keys := append([]string{}, n.ContextKeys...)
	if other, taken := env.channels.connSlots[connSlot(it.Identifier, subscriber, keys)]; taken {
		who := "no subscriberId"
		if subscriber != "" {
			who = fmt.Sprintf("subscriberId %q", subscriber)
		}
		ctx := "no context"
		if len(keys) > 0 {
			ctx = "context [" + strings.Join(keys, ", ") + "]"
		}
		return write{}, nil, errs.Errorf(errs.Conflict, "A channel connection already exists for integration %q with %s and %s. Connection ID: %s",
			it.Identifier, who, ctx, other.Identifier)
	}
	id := n.Identifier
	if id == "" {
		id = s.freeIdentifier("chconn_", func(x string) bool { _, taken := env.channels.connIDs[x]; return taken })
	} else if _, taken := env.channels.connIDs[id]; taken {
		return write{}, nil, errs.Errorf(errs.Conflict, "Channel connection with identifier %q already exists in environment %q", id, env.ID)
	}
	now := s.timestamp()
	con := &Connection{
		Identifier: id, EnvironmentID: env.ID, IntegrationIdentifier: it.Identifier,
		ProviderID: it.ProviderID, Channel: it.Channel, SubscriberID: subscriber, ContextKeys: keys,
		Workspace: n.Workspace, Auth: n.Auth, CreatedAt: now, UpdatedAt: now,
	}
	return need.and(write{
		change: change{envs: envs(env), grow: con.size(), adds: []addition{{env, limits.ChannelConnections}}},
		apply: func() {
			con.Cursor = s.newCursor()
			env.channels.addConn(con)
		},
	}), con, nil
}

// freeIdentifier draws prefix + 12 shortid characters until taken says no.
func (s *Store) freeIdentifier(prefix string, taken func(string) bool) string {
	for {
		if id := prefix + s.ids.Random(12, shortIDAlphabet); !taken(id) {
			return id
		}
	}
}

// Connection returns one connection of the caller's environment.
func (s *Store) Connection(c Caller, identifier string) (Connection, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Connection{}, err
	}
	con, ok := env.channels.connIDs[identifier]
	if !ok {
		return Connection{}, errs.Errorf(errs.NotFound, "Channel connection with identifier '%s' not found", identifier)
	}
	return con.clone(), nil
}

// UpdateConnection replaces a connection's workspace and auth.
func (s *Store) UpdateConnection(c Caller, identifier string, w Workspace, a Auth) (Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Connection{}, err
	}
	con, ok := env.channels.connIDs[identifier]
	if !ok {
		return Connection{}, errs.Errorf(errs.NotFound, "Channel connection with identifier %q not found", identifier)
	}
	it, _, ok := env.liveIntegration(con.IntegrationIdentifier)
	if !ok { // a connection goes with its integration; Novu words the case all the same
		return Connection{}, errs.Errorf(errs.NotFound, "Integration %q not found", con.IntegrationIdentifier)
	}
	if a, err = s.rotatingAuth(it, a); err != nil {
		return Connection{}, err
	}
	if err := s.commit(s.replaceAuth(env, con, w, a).parts()); err != nil {
		return Connection{}, err
	}
	return con.clone(), nil
}

// replaceAuth is the write that gives a connection a new workspace and
// auth.
func (s *Store) replaceAuth(env *envState, con *Connection, w Workspace, a Auth) write {
	after := *con
	after.Workspace, after.Auth, after.UpdatedAt = w, a, s.timestamp()
	return write{
		change: change{envs: envs(env), grow: after.size() - con.size()},
		apply:  func() { *con = after },
	}
}

// DeleteConnection removes a connection for good. Its endpoints stay, as in
// Novu.
func (s *Store) DeleteConnection(c Caller, identifier string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return err
	}
	con, ok := env.channels.connIDs[identifier]
	if !ok {
		return errs.Errorf(errs.NotFound, "Channel connection with identifier '%s' not found", identifier)
	}
	return s.commit(change{envs: envs(env), grow: -con.size()}, func() { env.channels.removeConn(con) })
}

// connectionKey is a connection's place in paging.
func connectionKey(c *Connection, byUpdated bool) pageKey {
	if byUpdated {
		return pageKey{c.UpdatedAt.Time, c.Cursor}
	}
	return pageKey{c.CreatedAt.Time, c.Cursor}
}

// ListConnections returns one page of the caller environment's connections
// that match the filter.
func (s *Store) ListConnections(c Caller, f ConnectionFilter, q PageQuery) (Page[Connection], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Page[Connection]{}, err
	}
	recs, info, err := paginate(env.channels.conns, q, connectionKey, f.match)
	if err != nil {
		return Page[Connection]{}, err
	}
	return pageOf(recs, info, func(c *Connection) Connection { return c.clone() }), nil
}

// Connections returns every connection of an environment in creation
// order, for the control plane.
func (s *Store) Connections(envID string) []Connection {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []Connection{}
	if e, ok := s.envs[envID]; ok {
		for _, c := range e.channels.conns {
			out = append(out, c.clone())
		}
	}
	return out
}
