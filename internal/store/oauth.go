package store

import (
	"slices"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/validate"
)

// The rules of Novu's chat OAuth (integrations/usecases/generate-chat-oath-
// url, chat-oauth-callback): which integrations an OAuth URL may be made
// for, and what a granted consent leaves behind. The consent itself (the
// provider's page and answer) is the API's stand-in; what it produces is
// applied here.

// OAuthRequest is what an OAuth URL is asked for.
type OAuthRequest struct {
	IntegrationIdentifier string
	// LinkUser is Novu's link_user mode (link one subscriber's chat
	// identity); otherwise the mode is connect (a workspace connection).
	LinkUser             bool
	SubscriberID         string
	ContextKeys          []string
	ConnectionMode       string
	ConnectionIdentifier string
	// Scope is the Slack scopes asked for in connect mode.
	Scope []string
}

// CheckOAuthProof applies Novu's checks to an OAuth URL request, in Novu's
// order, the request's context proof among them where Novu checks it
// (contract K2): what the OAuth URL routes and a link for an OAuth provider
// ask. It returns the integration the request is for.
func (s *Store) CheckOAuthProof(c Caller, r OAuthRequest, proof ContextProof) (Integration, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Integration{}, err
	}
	return s.checkOAuth(env, r, MustExist, &proof)
}

// ContextProof is what a request offers to show that its context was made
// by the customer's backend: the context as sent (nil when absent) and its
// contextHash ("" when absent).
type ContextProof struct {
	Context any
	Hash    string
}

// CheckContextProof applies Novu's context HMAC check (contract K2) to a
// request for an integration of the caller's environment: nothing unless
// the integration's credentials have hmac: true; then the context and a
// contextHash must be given, and the hash must be the HMAC of the context
// under one of the environment's API keys.
func (s *Store) CheckContextProof(c Caller, it Integration, proof ContextProof) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return err
	}
	return env.checkContextProof(it, proof)
}

func (e *envState) checkContextProof(it Integration, proof ContextProof) error {
	if hmac, _ := it.Credentials.Map()["hmac"].(bool); !hmac {
		return nil
	}
	switch {
	case proof.Context == nil:
		return errs.New(errs.Invalid, "A context is required when HMAC validation is enabled.")
	case proof.Hash == "":
		return errs.New(errs.Invalid, "A valid contextHash is required when HMAC validation is enabled.")
	}
	keys := make([]string, len(e.APIKeys))
	for i, k := range e.APIKeys {
		keys[i] = k.Key
	}
	if !validate.ContextHashValid(keys, proof.Context, proof.Hash) {
		return errs.New(errs.Invalid, "Please provide a valid context HMAC hash")
	}
	return nil
}

// checkOAuth is CheckOAuthProof's rules: the integration, Slack's
// incoming-webhook rule, the connection mode, the context's proof (when
// given: the mock checks it there, Novu's exact place is not settled), the
// subscriber (under rule: a grant makes a missing one instead, so only its
// URL was refused), then the provider's credentials.
func (s *Store) checkOAuth(e *envState, r OAuthRequest, rule SubscriberRule, proof *ContextProof) (Integration, error) {
	it, _, ok := e.liveIntegration(r.IntegrationIdentifier)
	if !ok || it.Channel != ChannelChat || !providers.OAuth(it.ProviderID) {
		return Integration{}, errs.Errorf(errs.NotFound, "Integration not found: %s in environment %s", r.IntegrationIdentifier, e.ID)
	}
	slack := providers.IsSlack(it.ProviderID)
	if r.LinkUser && r.SubscriberID == "" { // only the deprecated route lets it through its DTO
		return Integration{}, errs.Errorf(errs.Invalid, "subscriberId is required for link_user mode")
	}
	if !r.LinkUser {
		if slack && slices.Contains(r.Scope, "incoming-webhook") && r.SubscriberID == "" {
			return Integration{}, errs.Errorf(errs.Invalid, "subscriberId is required for incoming webhook")
		}
		if err := checkConnectionMode(r.ConnectionMode, r.SubscriberID, r.ContextKeys); err != nil {
			return Integration{}, err
		}
	}
	if proof != nil {
		if err := e.checkContextProof(it, *proof); err != nil {
			return Integration{}, err
		}
	}
	if rule == MustExist && !s.autoSubscribers { // under AutoSubscribers the grant makes it
		if _, err := s.subscriberNeed(e, r.SubscriberID, MustExist); err != nil {
			return Integration{}, err
		}
	}
	creds := it.Credentials.Map()
	switch it.ProviderID {
	case providers.Slack:
		if !hasText(creds, "clientId") {
			return Integration{}, errs.Errorf(errs.NotFound, "Slack integration missing required OAuth credentials (clientId) ")
		}
	case providers.MSTeams:
		if !hasText(creds, "tenantId") {
			return Integration{}, errs.Errorf(errs.NotFound, "MS Teams integration missing tenantId")
		}
	case providers.WebexMessaging:
		if r.LinkUser && r.ConnectionIdentifier == "" {
			return Integration{}, errs.Errorf(errs.Invalid, "connectionIdentifier is required for Webex link_user mode")
		}
	}
	return it, nil
}

// hasText reports whether an object holds a non-empty string at key.
func hasText(m map[string]any, key string) bool {
	s, ok := m[key].(string)
	return ok && s != ""
}

// OAuthGrant is a consent given: the request it answers and what the
// provider returned for it.
type OAuthGrant struct {
	OAuthRequest
	// AutoLinkUser also links the consenting subscriber after a connection
	// is made (connect mode).
	AutoLinkUser bool
	// Workspace and AccessToken are the connection's, in connect mode.
	Workspace   Workspace
	AccessToken string
	// UserType and User are the endpoint of the consenting user: made in
	// link-user mode, and in connect mode with AutoLinkUser and a
	// subscriber.
	UserType EndpointType
	User     map[string]any
}

// OAuthResult is what a granted consent did.
type OAuthResult struct {
	// Connection is the connection made or updated (connect mode).
	Connection *Connection
	// Endpoint is the user endpoint made, if any.
	Endpoint *Endpoint
	// RedirectURL is the integration's credentials.redirectUrl, where Novu
	// sends the browser afterwards ("" when unset).
	RedirectURL string
}

// CompleteOAuth does what Novu's OAuth callback does with a consent, as one
// change: in connect mode it updates the connection named by
// ConnectionIdentifier, else the one in the same slot (integration,
// stored subscriber, context), else makes one, then links the user when
// asked; in link-user mode it makes the user's endpoint. The request is
// checked again first: the integration may have changed since the URL was
// made.
func (s *Store) CompleteOAuth(c Caller, g OAuthGrant) (OAuthResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return OAuthResult{}, err
	}
	it, err := s.checkOAuth(env, g.OAuthRequest, Ensured, nil)
	if err != nil {
		return OAuthResult{}, err
	}
	// The subscriber existed when the URL was made; if it is gone since
	// (or --auto-subscribers let an unknown one through), the grant makes
	// it bare, once, for the connection and the endpoint alike.
	w, err := s.subscriberNeed(env, g.SubscriberID, CreateIfMissing)
	if err != nil {
		return OAuthResult{}, err
	}
	var res OAuthResult
	if redirect, ok := it.Credentials.Map()["redirectUrl"].(string); ok {
		res.RedirectURL = redirect
	}
	user := NewEndpoint{IntegrationIdentifier: it.Identifier, ConnectionIdentifier: g.ConnectionIdentifier,
		SubscriberID: g.SubscriberID, ContextKeys: g.ContextKeys, Type: g.UserType, Endpoint: g.User}
	if g.LinkUser {
		link, e, err := s.planEndpoint(env, user, nil, Ensured)
		if err != nil {
			return OAuthResult{}, err
		}
		if err := s.commit(w.and(link).parts()); err != nil {
			return OAuthResult{}, err
		}
		c := e.clone()
		res.Endpoint = &c
		return res, nil
	}
	upsert, con, err := s.planUpsert(env, it, g)
	if err != nil {
		return OAuthResult{}, err
	}
	w = w.and(upsert)
	var e *Endpoint
	if g.AutoLinkUser && g.SubscriberID != "" {
		// One change: no connection without its user.
		user.ConnectionIdentifier = con.Identifier
		var link write
		if link, e, err = s.planEndpoint(env, user, con, Ensured); err != nil {
			return OAuthResult{}, err
		}
		w = w.and(link)
	}
	if err := s.commit(w.parts()); err != nil {
		return OAuthResult{}, err
	}
	if e != nil {
		ec := e.clone()
		res.Endpoint = &ec
	}
	cc := con.clone()
	res.Connection = &cc
	return res, nil
}

// planUpsert is the connect half of CompleteOAuth: the write that updates
// the connection named, or the one in the same slot, or makes one, with
// the connection as it will be.
func (s *Store) planUpsert(env *envState, it Integration, g OAuthGrant) (write, *Connection, error) {
	subscriber := g.SubscriberID
	if g.ConnectionMode == ModeShared {
		subscriber = ""
	}
	auth := Auth{AccessToken: g.AccessToken}
	con, named := env.channels.connIDs[g.ConnectionIdentifier]
	switch {
	case named && con.IntegrationIdentifier != it.Identifier:
		return write{}, nil, errs.Errorf(errs.Conflict, "Channel connection with identifier %q already exists in environment %q", con.Identifier, env.ID)
	case !named:
		con = env.channels.connSlots[connSlot(it.Identifier, subscriber, g.ContextKeys)]
	}
	if con != nil {
		return s.replaceAuth(env, con, g.Workspace, auth), con, nil
	}
	if err := s.room(env, limits.ChannelConnections, 1); err != nil {
		return write{}, nil, err
	}
	return s.planConnection(env, it, NewConnection{Identifier: g.ConnectionIdentifier, IntegrationIdentifier: it.Identifier,
		SubscriberID: g.SubscriberID, ContextKeys: g.ContextKeys, ConnectionMode: g.ConnectionMode,
		Workspace: g.Workspace, Auth: auth}, Ensured)
}
