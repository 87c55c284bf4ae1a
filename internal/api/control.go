package api

import (
	"errors"
	"net/http"
	"os"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// The handlers of the control plane under /_mock/ (its routes are in
// routes.go). Its answers use Novu's envelope and error body, so one client
// reads both.

type status struct {
	Status string `json:"status"`
}

// healthProbe is the liveness probe: the process answers, and keeps what
// it is given. A state file that cannot be saved makes it 503 with the
// reason, so a container's health check turns unhealthy instead of the
// data being lost in silence at the next restart.
func (s *Handler) healthProbe(req *request) (answer, error) {
	if s.health != nil {
		if err := s.health(); err != nil {
			if !s.hosts.allows(req.Host) {
				// The probes answer any Host (a load balancer's own);
				// why a save fails names a path of this machine.
				return answer{}, errs.New(errs.Unavailable, "Unhealthy: the mock cannot save its state file (its log says why)")
			}
			return answer{}, errs.New(errs.Unavailable, err.Error())
		}
	}
	return data(http.StatusOK, status{Status: "ok"})
}

// readyProbe is the readiness probe: the data is loaded and the server is
// not shutting down.
func (s *Handler) readyProbe(*request) (answer, error) {
	if !s.ready.Load() {
		return answer{}, errs.New(errs.Unavailable, "Shutting down")
	}
	return data(http.StatusOK, status{Status: "ready"})
}

// reset puts data, journal and faults back to the start.
func (s *Handler) reset(*request) (answer, error) {
	if err := s.Reset(); err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, s.store.Counts())
}

// resetEnvironment puts one environment's data and keys back; other
// environments, the journal and the faults are untouched.
func (s *Handler) resetEnvironment(req *request) (answer, error) {
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	if err := s.store.ResetEnvironment(env.ID, s.baseline.Dataset()); err != nil {
		return answer{}, err
	}
	env, _ = s.store.Environment(env.ID)
	return data(http.StatusOK, s.environmentDTO(env))
}

// exportState answers the whole state as a dataset file (no envelope), so
// it can be saved and used as a --fixtures file or imported again. It is
// the store at one moment (a snapshot, taken under one lock before the
// answer starts), written record by record as the client reads it: the
// document is never held whole, and writes go on meanwhile.
func (s *Handler) exportState(*request) (answer, error) {
	return streamed(contentTypeJSON, "(the whole state, not kept)", s.store.Snapshot().Encode), nil
}

// importState replaces the whole state with a dataset file. The document
// is read as it arrives (it may be large: up to the store's byte bound), and
// checked whole: a bad one changes nothing and gets a 400 naming the record
// and field, or a 403 past a bound.
func (s *Handler) importState(req *request) (answer, error) {
	if req.ContentLength > s.maxImportBytes() {
		return answer{}, errTooLarge
	}
	ds, err := store.DecodeDataset(http.MaxBytesReader(nil, req.Body, s.maxImportBytes()))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, os.ErrDeadlineExceeded):
		return answer{}, bodyError(err)
	case err != nil:
		return answer{}, errs.New(errs.Invalid, "Import refused, nothing changed: "+err.Error())
	}
	if err := s.store.Load(ds); err != nil {
		if errs.CodeOf(err) != errs.Limit {
			err = errs.New(errs.Invalid, "Import refused, nothing changed: "+err.Error())
		}
		return answer{}, err
	}
	return data(http.StatusOK, s.store.Counts())
}

// MaxImportBytes bounds a dataset document read whole, for a store whose
// byte bound is storeBytes: twice that bound (a record's keys and
// punctuation take room in the file, not in the store), which the data must
// then fit anyway. PUT /_mock/state and the state file at start-up share
// it, so a state the mock saved can be imported and the other way round.
func MaxImportBytes(storeBytes int64) int64 {
	if storeBytes > 0 {
		return 2 * storeBytes
	}
	return 256 << 20
}

func (s *Handler) maxImportBytes() int64 { return MaxImportBytes(s.store.Limits().Bytes) }

type cleared struct {
	Cleared int `json:"cleared"`
}

func (s *Handler) clearRequests(*request) (answer, error) {
	return data(http.StatusOK, cleared{Cleared: s.journal.Clear()})
}

// providers lists Novu's providers with their channel and credential keys:
// what the inspector's create form offers.
func (s *Handler) providers(*request) (answer, error) { return data(http.StatusOK, providers.All()) }

// envIntegrations lists an environment's live integrations with full
// credentials, as a dashboard sees them, but through the control plane: the
// inspector polls it every second, and its reads must not fill the journal
// a test suite asserts on.
func (s *Handler) envIntegrations(req *request) (answer, error) {
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	return s.list(req, listSource{orgID: env.OrganizationID, envID: env.ID}, fullView)
}

// envDeleted lists an environment's soft-deleted integrations, newest
// deletion last, with full credentials: what no Novu route shows, for the
// inspector and for tests that check what a delete left behind.
func (s *Handler) envDeleted(req *request) (answer, error) {
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	return s.list(req, listSource{orgID: env.OrganizationID, envID: env.ID, deleted: true}, fullView)
}

// envConnections lists every channel connection of an environment,
// as Novu's GET shows each, for the inspector: no paging, and read through
// the control plane so its polling stays out of the journal.
func (s *Handler) envConnections(req *request) (answer, error) {
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, listOf(s.store.Connections(env.ID), toConnectionDTO))
}

// envEndpoints lists every channel endpoint of an environment with
// its full endpoint value, for the inspector.
func (s *Handler) envEndpoints(req *request) (answer, error) {
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, listOf(s.store.Endpoints(env.ID), toEndpointDTO))
}

// environment finds the {environmentId} of a control-plane route: Novu's
// 404 when there is none.
func (s *Handler) environment(req *request) (store.Environment, error) {
	id := req.param("environmentId")
	env, ok := s.store.Environment(validate.NormalizeID(id))
	if !ok {
		return env, errs.New(errs.NotFound, "Environment with id "+truncate(id, 64)+" not found")
	}
	return env, nil
}

// environmentDTO is an environment as the control plane shows it, with
// what a user needs to call it.
type environmentDTO struct {
	ID               string         `json:"_id"`
	OrganizationID   string         `json:"_organizationId"`
	OrganizationName string         `json:"organizationName"`
	Name             string         `json:"name"`
	APIKeys          []store.APIKey `json:"apiKeys"`
	Integrations     int            `json:"integrations"`
	Subscribers      int            `json:"subscribers"`
}

func (s *Handler) environmentDTO(e store.Environment) environmentDTO {
	org, _ := s.store.Organization(e.OrganizationID)
	keys := e.APIKeys
	if keys == nil {
		keys = []store.APIKey{}
	}
	return environmentDTO{ID: e.ID, OrganizationID: e.OrganizationID, OrganizationName: org.Name, Name: e.Name,
		APIKeys: keys, Integrations: s.store.LiveCount(e.ID), Subscribers: s.store.SubscriberCount(e.ID)}
}

func (s *Handler) environments(*request) (answer, error) {
	out := []environmentDTO{}
	for _, e := range s.store.Environments("") {
		out = append(out, s.environmentDTO(e))
	}
	return data(http.StatusOK, out)
}

// newEnvironment is the body of POST /_mock/environments.
type newEnvironment struct {
	Name string `json:"name"`
	// OrganizationID adds the environment to an existing organization;
	// without it, a new organization named OrganizationName is made.
	OrganizationID   string `json:"organizationId"`
	OrganizationName string `json:"organizationName"`
}

func (s *Handler) createEnvironment(req *request) (answer, error) {
	var body newEnvironment
	if err := req.strict(&body); err != nil {
		return answer{}, err
	}
	var msgs validate.Messages
	if strings.TrimSpace(body.Name) == "" {
		msgs.Add(validate.NotEmpty("name"))
	}
	for _, f := range []struct{ name, value string }{{"name", body.Name}, {"organizationName", body.OrganizationName}} {
		if len(f.value) > validate.MaxTextLength {
			msgs.Add(validate.MaxLength(f.name, validate.MaxTextLength))
		}
	}
	if body.OrganizationID != "" && !validate.ObjectID(body.OrganizationID) {
		msgs.Add(validate.IsMongoID("organizationId"))
	}
	if len(msgs) > 0 {
		return answer{}, validationError(msgs)
	}
	env, err := s.store.CreateEnvironment(store.NewEnvironment{Name: body.Name,
		OrganizationID: validate.NormalizeID(body.OrganizationID), OrganizationName: body.OrganizationName})
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusCreated, s.environmentDTO(env))
}

// newAPIKey is the body of POST /_mock/environments/{id}/api-keys; an empty
// key asks the mock to make one.
type newAPIKey struct {
	Key string `json:"key"`
}

func (s *Handler) createAPIKey(req *request) (answer, error) {
	var body newAPIKey
	if err := req.strict(&body); err != nil {
		return answer{}, err
	}
	if body.Key != "" && !validate.APIKey(body.Key) {
		return answer{}, validationError([]string{"key is not a valid key: " + validate.APIKeyRule})
	}
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	key, err := s.store.AddAPIKey(env.ID, body.Key)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusCreated, key)
}

// sessionDTO is a minted dashboard session for one environment.
type sessionDTO struct {
	Token          string `json:"token"`
	UserID         string `json:"userId"`
	OrganizationID string `json:"organizationId"`
	EnvironmentID  string `json:"environmentId"`
}

// session mints a dashboard (Bearer) token for an environment: the
// token's environmentId claim picks it, so no header is needed.
func (s *Handler) session(req *request) (answer, error) {
	env, err := s.environment(req)
	if err != nil {
		return answer{}, err
	}
	userID := s.store.User(env.ID)
	if userID == "" {
		userID = s.store.NewObjectID()
	}
	c := SessionClaims{UserID: userID, OrganizationID: env.OrganizationID, EnvironmentID: env.ID}
	return data(http.StatusCreated, sessionDTO{Token: s.SessionToken(c), UserID: userID, OrganizationID: env.OrganizationID, EnvironmentID: env.ID})
}
