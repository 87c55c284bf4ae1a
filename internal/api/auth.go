package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// The two authentication schemes Novu accepts.
const (
	schemeAPIKey = "ApiKey"
	schemeBearer = "Bearer"
)

// headerEnvironment picks a dashboard caller's environment.
const headerEnvironment = "Novu-Environment-Id"

// principal is the authenticated caller of a request.
type principal struct {
	scheme string
	caller store.Caller
}

// view returns how this caller may see records. It fails closed: only a
// verified dashboard session sees provider secrets, so a principal lost on
// the way (a route whose kind asks for no caller) shows nothing.
func (p principal) view() view { return view{reveal: p.scheme == schemeBearer} }

func unauthorized(message string) error { return errs.New(errs.Unauthorized, message) }

// principal authenticates a request the way Novu's guard does. A
// dashboardOnly route refuses API keys, as Novu's routes without
// @ExternalApiAccessible do.
func (s *Handler) principal(r *http.Request, dashboardOnly bool) (principal, error) {
	authorization := header(r, "Authorization")
	if authorization == "" {
		return principal{}, unauthorized("Missing authorization header")
	}
	scheme, token, _ := strings.Cut(authorization, " ")
	switch scheme {
	case schemeAPIKey:
		if dashboardOnly {
			return principal{}, unauthorized("API endpoint not available")
		}
		c, err := s.apiKeyCaller(strings.TrimSpace(token))
		if err != nil {
			return principal{}, err
		}
		return principal{scheme: schemeAPIKey, caller: c}, nil
	case schemeBearer:
		return s.sessionPrincipal(r, strings.TrimSpace(token))
	default:
		return principal{}, unauthorized(fmt.Sprintf("Invalid authentication scheme: %q", scheme))
	}
}

// apiKeyCaller finds the caller of an API key. Unless the server is
// strict, an unknown key gets a fresh, empty tenant on first use.
func (s *Handler) apiKeyCaller(key string) (store.Caller, error) {
	if c, ok := s.store.KeyCaller(key); ok {
		return c, nil
	}
	if s.strict {
		return store.Caller{}, unauthorized("API Key not found")
	}
	c, err := s.store.EnsureTenant(key)
	switch e, _ := errs.As(err); {
	case e != nil && e.Bound != nil:
		return store.Caller{}, unauthorized("API Key not found (no tenant was made for it: " + limits.Answer(*e.Bound) + ")")
	case e != nil && e.Code == errs.Invalid: // the store's key rule: it never becomes a tenant
		return store.Caller{}, unauthorized("API Key not found")
	}
	if err != nil {
		return store.Caller{}, err
	}
	s.log.Info("new tenant for an unknown API key", slog.String("apiKey", maskKey(key)),
		slog.String("environmentId", c.EnvironmentID), slog.String("organizationId", c.OrganizationID))
	return c, nil
}

// maskKey is how a key a caller sent is logged: its first 4 characters, so
// a user can tell their test runs apart, and no more (a log is copied into
// issues and CI artefacts). A key of 8 characters or fewer shows none.
func maskKey(key string) string {
	if len(key) <= 8 {
		return "…"
	}
	return key[:4] + "…"
}

// SessionClaims are the claims the mock reads from a dashboard (Bearer)
// token. They are the claims of Novu's own session tokens; the signature is
// the mock's own (see SignSession).
type SessionClaims struct {
	// UserID is the acting user; it is recorded as deletedBy.
	UserID string `json:"_id"`
	// OrganizationID must name an organization of the mock.
	OrganizationID string `json:"organizationId"`
	// EnvironmentID is used when the request has no Novu-Environment-Id header.
	EnvironmentID string `json:"environmentId,omitempty"`
	// Expires, if set, is a Unix time after which the token is refused.
	Expires int64 `json:"exp,omitempty"`
}

// sessionHeader is the JOSE header of every token the mock signs.
var sessionHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// SignSession returns a dashboard token carrying the claims: a JWT signed
// with HMAC-SHA256 (HS256) under secret. A server accepts the tokens signed
// with its own secret only (Options.SessionSecret), so a web page or a
// neighbouring tenant cannot forge a session for an organization it
// guessed.
func SignSession(secret []byte, c SessionClaims) string {
	payload, _ := json.Marshal(c) // a struct of strings and an int cannot fail
	signed := sessionHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signed + "." + base64.RawURLEncoding.EncodeToString(sessionMAC(secret, signed))
}

// SessionToken returns a dashboard token this server accepts.
func (s *Handler) SessionToken(c SessionClaims) string { return SignSession(s.sessionSecret, c) }

func sessionMAC(secret []byte, signed string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(signed))
	return m.Sum(nil)
}

// verifySession returns the claims of a token signed with secret. It
// refuses any algorithm but HS256 (alg "none" above all, and the RS/HS
// confusion), checks the signature in constant time before it reads the
// claims, and wants the claims Novu's tokens always have.
func verifySession(secret []byte, token string) (SessionClaims, bool) {
	enc := base64.RawURLEncoding
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return SessionClaims{}, false
	}
	rawHeader, err := enc.DecodeString(parts[0])
	if err != nil {
		return SessionClaims{}, false
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(rawHeader, &header) != nil || header.Alg != "HS256" {
		return SessionClaims{}, false
	}
	sig, err := enc.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, sessionMAC(secret, parts[0]+"."+parts[1])) {
		return SessionClaims{}, false
	}
	raw, err := enc.DecodeString(parts[1])
	if err != nil {
		return SessionClaims{}, false
	}
	var c SessionClaims
	if err := json.Unmarshal(raw, &c); err != nil || c.UserID == "" || c.OrganizationID == "" {
		return SessionClaims{}, false
	}
	return c, true
}

// sessionPrincipal authenticates a dashboard caller. Novu answers a token
// it cannot accept with a bare "Unauthorized", and an environment header
// outside the token's organization with "Cannot find environment".
func (s *Handler) sessionPrincipal(r *http.Request, token string) (principal, error) {
	c, ok := verifySession(s.sessionSecret, token)
	if !ok || (c.Expires != 0 && s.now().Unix() >= c.Expires) {
		return principal{}, unauthorized("Unauthorized")
	}
	if _, ok := s.store.Organization(c.OrganizationID); !ok {
		return principal{}, unauthorized("Unauthorized")
	}
	envID := strings.TrimSpace(header(r, headerEnvironment))
	if envID == "" {
		envID = c.EnvironmentID
	}
	if envID != "" {
		env, ok := s.store.Environment(validate.NormalizeID(envID))
		if !ok || env.OrganizationID != c.OrganizationID {
			return principal{}, unauthorized("Cannot find environment")
		}
		envID = env.ID
	}
	return principal{scheme: schemeBearer, caller: store.Caller{
		OrganizationID: c.OrganizationID, EnvironmentID: envID, UserID: c.UserID,
	}}, nil
}

// requireEnvironment refuses a dashboard caller that names no environment on
// a route that needs one.
func requireEnvironment(p principal) error {
	if p.caller.EnvironmentID == "" {
		return errs.New(errs.Invalid,
			"This request needs an environment: send the Novu-Environment-Id header (or an environmentId claim in the token)")
	}
	return nil
}
