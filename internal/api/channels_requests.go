package api

import (
	"net/url"
	"strconv"

	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// This file turns the bodies and queries of the channel routes (channel
// connections and endpoints, OAuth URLs, links) into store requests, field
// by field as Novu's DTOs declare them. Package validate owns the words.

// channelBody is a body being checked against one of these DTOs.
type channelBody struct {
	*validate.Body
}

func newChannelBody(m map[string]any) channelBody { return channelBody{validate.NewBody(m)} }

func (b channelBody) err() error {
	if len(b.Messages) == 0 {
		return nil
	}
	return validationError(b.Messages)
}

// text is an optional string bounded like an integration's identifier.
func (b channelBody) text(field string) string {
	return b.bounded(field, b.String(field))
}

// required is a string that must be given (IsDefined, IsString).
func (b channelBody) required(field string) string {
	return b.bounded(field, b.RequiredString(field, false))
}

// nonEmpty is a string that must be given and not be "" (IsString,
// IsNotEmpty, in the order class-validator reports them).
func (b channelBody) nonEmpty(field string) string {
	v, given := b.Value(field)
	s, isString := v.(string)
	switch {
	case !given:
		b.Add(validate.NotEmpty(field), validate.IsString(field))
	case !isString:
		b.Add(validate.IsString(field))
	case s == "":
		b.Add(validate.NotEmpty(field))
	}
	return b.bounded(field, &s)
}

// integrationIdentifier is the OAuth DTOs' integrationIdentifier: IsString,
// IsDefined, and IsNotEmpty with its own words.
func (b channelBody) integrationIdentifier() string {
	const field, empty = "integrationIdentifier", "Integration identifier is required"
	v, given := b.Value(field)
	s, isString := v.(string)
	switch {
	case !given:
		b.Add(validate.Defined(field), empty, validate.IsString(field))
	case !isString:
		b.Add(validate.IsString(field))
	case s == "":
		b.Add(empty)
	}
	return b.bounded(field, &s)
}

func (b channelBody) bounded(field string, s *string) string {
	if s == nil {
		return ""
	}
	if len(*s) > validate.MaxTextLength {
		b.Add(validate.MaxLength(field, validate.MaxTextLength))
		return ""
	}
	return *s
}

// context is the optional context payload, as its keys.
func (b channelBody) context() []string {
	v, given := b.Value("context")
	if !given {
		return nil
	}
	keys, msg := validate.ContextKeys(v)
	if msg != "" {
		b.Add(msg)
	}
	return keys
}

// strings is an optional array of strings (scope, userScope).
func (b channelBody) strings(field string) []string {
	a, ok := b.Array(field)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(a))
	for _, x := range a {
		s, isString := x.(string)
		if !isString {
			b.Add(validate.EachString(field))
			return nil
		}
		out = append(out, s)
	}
	return out
}

// object is a required nested object (IsDefined, ValidateNested).
func (b channelBody) object(field string) (map[string]any, bool) {
	v, given := b.Value(field)
	if !given {
		b.Add(validate.Defined(field))
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		b.Add(validate.Nested(field))
	}
	return m, ok
}

// nested checks a nested DTO's string fields with their dotted names.
// Their length is bounded by the body's alone (a token may be long).
func (b channelBody) nested(field string, m map[string]any, required []string, optional []string) map[string]string {
	inner := newChannelBody(m)
	out := map[string]string{}
	for _, f := range required {
		out[f] = deref(inner.RequiredString(f, false))
	}
	for _, f := range optional {
		out[f] = deref(inner.String(f))
	}
	for _, msg := range inner.Messages {
		b.Add(field + "." + msg)
	}
	return out
}

var connectionModes = []string{store.ModeSubscriber, store.ModeShared}

// workspaceAndAuth checks the workspace and auth both connection DTOs
// carry.
func (b channelBody) workspaceAndAuth() (store.Workspace, store.Auth) {
	var w store.Workspace
	var a store.Auth
	if m, ok := b.object("workspace"); ok {
		f := b.nested("workspace", m, []string{"id"}, []string{"name", "botUserId"})
		w = store.Workspace{ID: f["id"], Name: f["name"], BotUserID: f["botUserId"]}
	}
	if m, ok := b.object("auth"); ok {
		f := b.nested("auth", m, []string{"accessToken"}, []string{"refreshToken", "expiresAt", "refreshTokenExpiresAt"})
		a = store.Auth{AccessToken: f["accessToken"], RefreshToken: f["refreshToken"], ExpiresAt: f["expiresAt"],
			RefreshTokenExpiresAt: f["refreshTokenExpiresAt"]}
	}
	return w, a
}

// parseNewConnection checks a CreateChannelConnectionRequestDto.
func parseNewConnection(body map[string]any) (store.NewConnection, error) {
	b := newChannelBody(body)
	n := store.NewConnection{
		Identifier:   b.text("identifier"),
		SubscriberID: b.text("subscriberId"),
		ContextKeys:  b.context(),
	}
	n.ConnectionMode = deref(b.Enum("connectionMode", connectionModes, false))
	n.IntegrationIdentifier = b.required("integrationIdentifier")
	n.Workspace, n.Auth = b.workspaceAndAuth()
	return n, b.err()
}

// parseConnectionUpdate checks an UpdateChannelConnectionRequestDto.
func parseConnectionUpdate(body map[string]any) (store.Workspace, store.Auth, error) {
	b := newChannelBody(body)
	w, a := b.workspaceAndAuth()
	return w, a, b.err()
}

// endpoint is the required endpoint object of an endpoint DTO.
func (b channelBody) endpoint() map[string]any {
	v, given := b.Value("endpoint")
	if !given {
		b.Add(validate.Defined("endpoint"))
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		b.Add(validate.IsObject("endpoint"))
	}
	return m
}

// parseNewEndpoint checks a create body against Novu's per-type endpoint
// DTOs (the shape of the endpoint value is the store's rule: a 400).
func parseNewEndpoint(body map[string]any) (store.NewEndpoint, error) {
	b := newChannelBody(body)
	n := store.NewEndpoint{
		Identifier:   b.text("identifier"),
		SubscriberID: b.required("subscriberId"),
	}
	b.Bool("createSubscriberIfMissing") // validated, then ignored: subscribers are taken as existing
	n.ContextKeys = b.context()
	n.IntegrationIdentifier = b.required("integrationIdentifier")
	n.ConnectionIdentifier = b.text("connectionIdentifier")
	if _, given := b.Value("type"); !given {
		b.Add(validate.Enum("type", validate.EndpointTypes))
	}
	n.Type = store.EndpointType(deref(b.Enum("type", validate.EndpointTypes, false)))
	n.Endpoint = b.endpoint()
	return n, b.err()
}

// parseEndpointUpdate checks an UpdateChannelEndpointRequestDto.
func parseEndpointUpdate(body map[string]any) (map[string]any, error) {
	b := newChannelBody(body)
	m := b.endpoint()
	return m, b.err()
}

// The paging bounds of the lists (Novu documents 100 as the most).
const (
	defaultPageLimit = 10
	maxPageLimit     = 100
)

var (
	orderFields     = []string{"createdAt", "updatedAt"}
	orderDirections = []string{"ASC", "DESC"}
)

// parsePageQuery checks the paging part of a list's query. Novu's DTO
// leaves limit, orderBy and orderDirection unchecked; the mock refuses what
// it cannot page by (a 422 in class-validator's words).
func parsePageQuery(q url.Values, msgs *validate.Messages) store.PageQuery {
	p := store.PageQuery{Limit: defaultPageLimit, After: q.Get("after"), Before: q.Get("before"),
		IncludeCursor: q.Get("includeCursor") == "true"}
	if raw, ok := q["limit"]; ok {
		n, err := strconv.Atoi(raw[0])
		switch {
		case err != nil:
			msgs.Add(validate.IsInt("limit"))
		case n < 1:
			msgs.Add(validate.Min("limit", 1))
		case n > maxPageLimit:
			msgs.Add(validate.Max("limit", maxPageLimit))
		default:
			p.Limit = n
		}
	}
	if v, ok := q["orderBy"]; ok {
		switch v[0] {
		case "createdAt":
		case "updatedAt":
			p.ByUpdated = true
		default:
			msgs.Add(validate.Enum("orderBy", orderFields))
		}
	}
	if v, ok := q["orderDirection"]; ok {
		switch v[0] {
		case "DESC":
		case "ASC":
			p.Ascending = true
		default:
			msgs.Add(validate.Enum("orderDirection", orderDirections))
		}
	}
	return p
}

// contextKeysQuery is the contextKeys filter as Novu's Transform reads it:
// absent is no filter, a lone empty value means "no context", empty values
// are dropped.
func contextKeysQuery(q url.Values) []string {
	raw, ok := q["contextKeys"]
	if !ok {
		return nil
	}
	keys := []string{}
	for _, k := range raw {
		if k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// enumQuery checks an optional enum filter.
func enumQuery(q url.Values, field string, allowed []string, msgs *validate.Messages) string {
	v := q.Get(field)
	if _, given := q[field]; !given {
		return ""
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	msgs.Add(validate.Enum(field, allowed))
	return ""
}

// parseConnectionList checks a connection list's query.
func parseConnectionList(q url.Values) (store.ConnectionFilter, store.PageQuery, error) {
	var msgs validate.Messages
	p := parsePageQuery(q, &msgs)
	f := store.ConnectionFilter{
		SubscriberID:          q.Get("subscriberId"),
		ConnectionMode:        enumQuery(q, "connectionMode", connectionModes, &msgs),
		Channel:               store.Channel(enumQuery(q, "channel", validate.Channels, &msgs)),
		ProviderID:            q.Get("providerId"),
		IntegrationIdentifier: q.Get("integrationIdentifier"),
		ContextKeys:           contextKeysQuery(q),
	}
	if len(msgs) > 0 {
		return f, p, validationError(msgs)
	}
	return f, p, nil
}

// parseEndpointList checks an endpoint list's query.
func parseEndpointList(q url.Values) (store.EndpointFilter, store.PageQuery, error) {
	var msgs validate.Messages
	p := parsePageQuery(q, &msgs)
	f := store.EndpointFilter{
		SubscriberID:          q.Get("subscriberId"),
		Channel:               store.Channel(enumQuery(q, "channel", validate.Channels, &msgs)),
		ProviderID:            q.Get("providerId"),
		IntegrationIdentifier: q.Get("integrationIdentifier"),
		ConnectionIdentifier:  q.Get("connectionIdentifier"),
		ContextKeys:           contextKeysQuery(q),
	}
	if len(msgs) > 0 {
		return f, p, validationError(msgs)
	}
	return f, p, nil
}
