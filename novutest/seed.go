package novutest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// Seeding from Go values: records made before the app under test runs.
// They go straight to the store, under its rules (identifiers unique,
// primaries and priorities renumbered, Novu's rules for connections and
// endpoints, the limits), with the values checked as Novu's API checks
// them; they are not requests, so the journal does not record them and
// faults do not apply. Each method acts in the environment given by id,
// "" for the first one (Server.EnvironmentID), and returns the record as
// made, with what the mock filled in.

// Integration is an integration to make, and as made.
type Integration struct {
	// ID, EnvironmentID and Priority are set by the mock.
	ID, EnvironmentID string
	ProviderID        string // required: "sendgrid", "slack"…
	Channel           string // "email", "sms", "chat", "push", "in_app"
	// Name and Identifier default as Novu's do (the provider's name; a
	// slug of the name and a short id).
	Name, Identifier string
	Active           bool
	// Primary makes an active email or sms integration its channel's
	// primary.
	Primary  bool
	Priority int
	// Credentials and Configurations: any Go values that encode to JSON.
	Credentials    map[string]any
	Configurations map[string]any
}

// Subscriber is a subscriber to make (or update, as Novu's create does),
// and as made.
type Subscriber struct {
	SubscriberID string // required
	// The optional fields: "" leaves one unset (or, for a subscriber that
	// exists, as it is).
	FirstName, LastName, Email, Phone, Avatar, Locale, Timezone string
	Data                                                        map[string]any
	// ID is set by the mock.
	ID string
}

// Connection is a channel connection to make (a chat workspace's
// credential), and as made.
type Connection struct {
	// Identifier defaults to a generated one.
	Identifier            string
	IntegrationIdentifier string // required
	// SubscriberID, Context or both, as Novu's rules want them.
	SubscriberID string
	// Context is the connection's context: type → id ("tenant": "acme").
	Context map[string]string
	// ConnectionMode is "subscriber", "shared" or "".
	ConnectionMode string
	Workspace      Workspace
	AccessToken    string
	// ProviderID and Channel are the integration's, set by the mock.
	ProviderID, Channel string
}

// Workspace is the provider workspace a connection reaches.
type Workspace struct {
	ID, Name string
}

// Endpoint is a channel endpoint to make (where a subscriber is reached),
// and as made.
type Endpoint struct {
	// Identifier defaults to a generated one.
	Identifier            string
	IntegrationIdentifier string // required
	ConnectionIdentifier  string
	SubscriberID          string // required
	Context               map[string]string
	// Type is Novu's endpoint type ("slack_user", "phone", …) and Endpoint
	// its value in the type's shape ({"userId": "U123"}).
	Type     string
	Endpoint map[string]any
	// ProviderID and Channel are the integration's, set by the mock.
	ProviderID, Channel string
}

// caller acts in an environment as its API key does.
func (s *Server) caller(environmentID string) (store.Caller, error) {
	if environmentID == "" {
		environmentID = s.EnvironmentID
	}
	e, ok := s.srv.Store().Environment(environmentID)
	if !ok {
		return store.Caller{}, fmt.Errorf("novutest: no environment with id %q", environmentID)
	}
	return store.Caller{OrganizationID: e.OrganizationID, EnvironmentID: e.ID, Scoped: true}, nil
}

// seedError words a refusal as the API would.
func seedError(what string, err error) error {
	if e, ok := errs.As(err); ok && e.Bound != nil {
		return fmt.Errorf("novutest: %s: %s", what, limits.Answer(*e.Bound))
	}
	return fmt.Errorf("novutest: %s: %w", what, err)
}

// jsonObject is m as decoded JSON (numbers as json.Number), as the store
// keeps what a request sent, and nested no deeper than a request's body
// may: m is a field of its record, one level down (so that what is seeded
// can be exported and imported again).
func jsonObject(m map[string]any) (map[string]any, error) {
	if m == nil {
		return nil, nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if err := validate.Depth(append(append([]byte{'['}, raw...), ']')); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out map[string]any
	return out, dec.Decode(&out)
}

// contextKeys checks a context as Novu does and returns its keys.
func contextKeys(ctx map[string]string) ([]string, error) {
	if ctx == nil {
		return nil, nil
	}
	m := make(map[string]any, len(ctx))
	for k, v := range ctx {
		m[k] = v
	}
	keys, msg := validate.ContextKeys(m)
	if msg != "" {
		return nil, errors.New(msg)
	}
	return keys, nil
}

// CreateIntegration makes an integration, as POST /v1/integrations does.
func (s *Server) CreateIntegration(environmentID string, it Integration) (Integration, error) {
	const what = "CreateIntegration"
	c, err := s.caller(environmentID)
	if err != nil {
		return Integration{}, err
	}
	var msgs validate.Messages
	if it.ProviderID == "" {
		msgs.Add(validate.NotEmpty("providerId"))
	}
	if it.Channel != "" && !store.Channel(it.Channel).Valid() {
		msgs.Add(validate.Enum("channel", validate.Channels))
	}
	creds, err := jsonObject(it.Credentials)
	if err != nil {
		return Integration{}, fmt.Errorf("novutest: %s: credentials: %w", what, err)
	}
	cfg, err := jsonObject(it.Configurations)
	if err != nil {
		return Integration{}, fmt.Errorf("novutest: %s: configurations: %w", what, err)
	}
	msgs.Add(validate.Credentials(creds)...)
	msgs.Add(validate.Configurations(cfg)...)
	if len(msgs) > 0 {
		return Integration{}, fmt.Errorf("novutest: %s: %s", what, strings.Join(msgs, "; "))
	}
	made, err := s.srv.Store().Create(c, store.NewIntegration{Name: it.Name, Identifier: it.Identifier, ProviderID: it.ProviderID,
		Channel: store.Channel(it.Channel), Credentials: creds, Configurations: cfg, Active: it.Active})
	if err != nil {
		return Integration{}, seedError(what, err)
	}
	if it.Primary {
		if made, err = s.srv.Store().SetPrimary(c, made.ID); err != nil {
			return Integration{}, seedError(what+": primary", err)
		}
	}
	return Integration{ID: made.ID, EnvironmentID: made.EnvironmentID, ProviderID: made.ProviderID, Channel: string(made.Channel),
		Name: made.Name, Identifier: made.Identifier, Active: made.Active, Primary: made.Primary, Priority: made.Priority,
		Credentials: made.Credentials.Map(), Configurations: made.Configurations.Map()}, nil
}

// CreateSubscriber makes a subscriber, or updates the one with its
// subscriberId, as Novu's create does.
func (s *Server) CreateSubscriber(environmentID string, sub Subscriber) (Subscriber, error) {
	const what = "CreateSubscriber"
	c, err := s.caller(environmentID)
	if err != nil {
		return Subscriber{}, err
	}
	if sub.SubscriberID == "" {
		return Subscriber{}, fmt.Errorf("novutest: %s: %s", what, validate.NotEmpty("subscriberId"))
	}
	data, err := jsonObject(sub.Data)
	if err != nil {
		return Subscriber{}, fmt.Errorf("novutest: %s: data: %w", what, err)
	}
	f := store.SubscriberFields{Values: store.Subscriber{Data: store.ObjectOf(data)}, Given: map[string]bool{}}
	texts := [...]string{sub.FirstName, sub.LastName, sub.Email, sub.Phone, sub.Avatar, sub.Locale, sub.Timezone}
	to := [...]**string{&f.Values.FirstName, &f.Values.LastName, &f.Values.Email, &f.Values.Phone, &f.Values.Avatar,
		&f.Values.Locale, &f.Values.Timezone}
	for i, v := range texts {
		if v != "" {
			*to[i] = &texts[i]
			f.Given[store.SubscriberTextFields[i]] = true
		}
	}
	if data != nil {
		f.Given["data"] = true
	}
	made, _, err := s.srv.Store().SaveSubscriber(c, sub.SubscriberID, f, false)
	if err != nil {
		return Subscriber{}, seedError(what, err)
	}
	out := Subscriber{SubscriberID: made.SubscriberID, ID: made.ID, Data: made.Data.Map()}
	outs := [...]*string{&out.FirstName, &out.LastName, &out.Email, &out.Phone, &out.Avatar, &out.Locale, &out.Timezone}
	for i, v := range [...]*string{made.FirstName, made.LastName, made.Email, made.Phone, made.Avatar, made.Locale, made.Timezone} {
		if v != nil {
			*outs[i] = *v
		}
	}
	if len(out.Data) == 0 {
		out.Data = nil
	}
	return out, nil
}

// CreateConnection makes a channel connection, as POST
// /v1/channel-connections does.
func (s *Server) CreateConnection(environmentID string, con Connection) (Connection, error) {
	const what = "CreateConnection"
	c, err := s.caller(environmentID)
	if err != nil {
		return Connection{}, err
	}
	keys, err := contextKeys(con.Context)
	if err != nil {
		return Connection{}, fmt.Errorf("novutest: %s: %w", what, err)
	}
	made, err := s.srv.Store().CreateConnection(c, store.NewConnection{Identifier: con.Identifier,
		IntegrationIdentifier: con.IntegrationIdentifier, SubscriberID: con.SubscriberID, ContextKeys: keys,
		ConnectionMode: con.ConnectionMode, Workspace: store.Workspace{ID: con.Workspace.ID, Name: con.Workspace.Name},
		Auth: store.Auth{AccessToken: con.AccessToken}})
	if err != nil {
		return Connection{}, seedError(what, err)
	}
	con.Identifier, con.SubscriberID, con.ConnectionMode = made.Identifier, made.SubscriberID, made.Mode()
	con.ProviderID, con.Channel = made.ProviderID, string(made.Channel)
	con.Workspace, con.AccessToken = Workspace{ID: made.Workspace.ID, Name: made.Workspace.Name}, made.Auth.AccessToken
	return con, nil
}

// CreateEndpoint makes a channel endpoint, as POST /v1/channel-endpoints
// does.
func (s *Server) CreateEndpoint(environmentID string, e Endpoint) (Endpoint, error) {
	const what = "CreateEndpoint"
	c, err := s.caller(environmentID)
	if err != nil {
		return Endpoint{}, err
	}
	if !slices.Contains(validate.EndpointTypes, e.Type) {
		return Endpoint{}, fmt.Errorf("novutest: %s: %s", what, validate.Enum("type", validate.EndpointTypes))
	}
	keys, err := contextKeys(e.Context)
	if err != nil {
		return Endpoint{}, fmt.Errorf("novutest: %s: %w", what, err)
	}
	value, err := jsonObject(e.Endpoint)
	if err != nil {
		return Endpoint{}, fmt.Errorf("novutest: %s: endpoint: %w", what, err)
	}
	made, err := s.srv.Store().CreateEndpoint(c, store.NewEndpoint{Identifier: e.Identifier, IntegrationIdentifier: e.IntegrationIdentifier,
		ConnectionIdentifier: e.ConnectionIdentifier, SubscriberID: e.SubscriberID, ContextKeys: keys,
		Type: store.EndpointType(e.Type), Endpoint: value})
	if err != nil {
		return Endpoint{}, seedError(what, err)
	}
	e.Identifier, e.ConnectionIdentifier, e.Endpoint = made.Identifier, made.ConnectionIdentifier, made.Endpoint.Map()
	e.ProviderID, e.Channel = made.ProviderID, string(made.Channel)
	return e, nil
}
