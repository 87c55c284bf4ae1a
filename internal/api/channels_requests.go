package api

import (
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
	return b.requiredNotEmpty("integrationIdentifier", "Integration identifier is required")
}

// requiredNotEmpty is a string with IsString, IsDefined and IsNotEmpty
// whose message is empty's (contract H7), in the order class-validator
// reports them.
func (b channelBody) requiredNotEmpty(field, empty string) string {
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

// parseNewEndpoint checks a create body as Novu does: by its command alone
// (contract H3: the route's body type is a union the validation pipe
// skips), fields in CreateChannelEndpointCommand's order, the endpoint's
// shape included (a 422, not a 400). createSubscriberIfMissing is not in
// the command: Novu's controller tests it for truth, whatever its type.
func parseNewEndpoint(body map[string]any) (store.NewEndpoint, error) {
	c := newCommand("CreateChannelEndpointCommand")
	n := store.NewEndpoint{
		Identifier:                c.optionalString(body, "identifier"),
		IntegrationIdentifier:     c.requiredString(body, "integrationIdentifier"),
		ConnectionIdentifier:      c.optionalString(body, "connectionIdentifier"),
		SubscriberID:              c.requiredString(body, "subscriberId"),
		ContextKeys:               c.context(body),
		CreateSubscriberIfMissing: truthy(body["createSubscriberIfMissing"]),
	}
	typ, given := bodyField(body, "type")
	name, isString := typ.(string)
	switch {
	case typ == nil:
		c.fail("type", typ, given, validate.Defined("type"), validate.Enum("type", nil))
	case !isString || !slices.Contains(validate.EndpointTypes, name):
		// class-validator's IsEnum of an array lists no values (H3).
		c.fail("type", typ, given, validate.Enum("type", nil))
	}
	n.Type = store.EndpointType(name)
	ep, given := bodyField(body, "endpoint")
	m, isObject := ep.(map[string]any)
	if ep == nil {
		c.fail("endpoint", ep, given, validate.Defined("endpoint"))
	}
	if truthy(typ) && (!isObject || !validate.Endpoint(name, m)) {
		// A missing type skips the shape (IsValidChannelEndpoint); a type
		// that is not a string names itself in the message as JavaScript
		// prints it.
		c.fail("endpoint", ep, given, validate.EndpointFormat(jsString(typ)))
	}
	n.Endpoint = m
	return n, c.err()
}

// jsString is how JavaScript's template literal prints a decoded JSON
// value.
func jsString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case []any:
		return "" // a longer array would be joined with commas; no client sends one
	}
	return "[object Object]"
}

// parseEndpointUpdate checks an UpdateChannelEndpointRequestDto.
func parseEndpointUpdate(body map[string]any) (map[string]any, error) {
	b := newChannelBody(body)
	m := b.endpoint()
	return m, b.err()
}

// The paging bounds of the lists: Novu's controller passes limit || 10,
// its DTO allows at most 100 and its command at least 1.
const (
	defaultPageLimit = 10
	maxPageLimit     = 100
)

// parsePageQuery reads the paging part of a list's query as Novu does
// (contract H5): the DTO turns limit into a number and refuses one over
// 100 or not a number (NaN) into msgs; the controller makes 0, "" and an
// absent limit 10; the command, cmd, refuses one under 1. orderDirection is
// not checked: only exactly DESC (the default) sorts newest first.
// includeCursor is true only for "true". An orderBy other than updatedAt
// sorts by creation (Novu's sort on a field its records lack leaves them in
// creation order).
func parsePageQuery(q url.Values, msgs *validate.Messages, cmd *command) store.PageQuery {
	p := store.PageQuery{Limit: defaultPageLimit, After: q.Get("after"), Before: q.Get("before"),
		IncludeCursor: q.Get("includeCursor") == "true", ByUpdated: q.Get("orderBy") == "updatedAt"}
	if v, ok := q["orderDirection"]; ok && v[0] != "DESC" {
		p.Ascending = true
	}
	raw, ok := q["limit"]
	if !ok {
		return p
	}
	n := math.NaN() // a repeated limit is an array: not a number
	if len(raw) == 1 {
		n = jsNumber(raw[0])
	}
	switch {
	case math.IsNaN(n) || n > maxPageLimit:
		msgs.Add(validate.Max("limit", maxPageLimit))
	case n == 0:
	case n < 1:
		var value any = n // JSON has no -Infinity: JSON.stringify writes null
		if math.IsInf(n, 0) {
			value = nil
		}
		cmd.fail("limit", value, true, validate.Min("limit", 1))
	default:
		p.Limit = int(n)
	}
	return p
}

// jsNumber is JavaScript's Number(s) for a query value: blanks around it
// ignored, "" is 0, decimal, 0x/0o/0b integers and Infinity read, anything
// else NaN.
func jsNumber(s string) float64 {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0
	case s == "Infinity" || s == "+Infinity":
		return math.Inf(1)
	case s == "-Infinity":
		return math.Inf(-1)
	case len(s) > 2 && s[0] == '0' && strings.ContainsRune("xXoObB", rune(s[1])):
		n, err := strconv.ParseUint(s[2:], map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]], 64)
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	case !decimalNumber.MatchString(s):
		return math.NaN()
	}
	n, _ := strconv.ParseFloat(s, 64) // out of range: ±Inf, as in JavaScript
	return n
}

var decimalNumber = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

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
	cmd := newCommand("ListChannelConnectionsCommand")
	p := parsePageQuery(q, &msgs, cmd)
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
	return f, p, cmd.err()
}

// parseEndpointList checks an endpoint list's query.
func parseEndpointList(q url.Values) (store.EndpointFilter, store.PageQuery, error) {
	var msgs validate.Messages
	cmd := newCommand("ListChannelEndpointsCommand")
	p := parsePageQuery(q, &msgs, cmd)
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
	return f, p, cmd.err()
}
