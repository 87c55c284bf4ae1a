package api

import (
	"errors"
	"net/http"
	"os"
	"strings"

	"github.com/go-chi/chi/v5"

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

// handleHealth is the liveness probe: the process answers, and keeps what
// it is given. A state file that cannot be saved makes it 503 with the
// reason, so a container's health check turns unhealthy instead of the
// data being lost in silence at the next restart.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.health != nil {
		if err := s.health(); err != nil {
			s.writeError(w, r, errStatus(http.StatusServiceUnavailable, err.Error()))
			return
		}
	}
	s.writeData(w, r, http.StatusOK, status{Status: "ok"})
}

// handleReady is the readiness probe: the data is loaded and the server is
// not shutting down.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	if !s.ready.Load() {
		return errStatus(http.StatusServiceUnavailable, "Shutting down")
	}
	s.writeData(w, r, http.StatusOK, status{Status: "ready"})
	return nil
}

// handleReset puts data, journal and faults back to the start.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) error {
	if err := s.Reset(); err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, s.store.Counts())
	return nil
}

// handleResetEnvironment puts one environment's integrations and keys back;
// other environments, the journal and the faults are untouched.
func (s *Server) handleResetEnvironment(w http.ResponseWriter, r *http.Request) error {
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	if err := s.store.ResetEnvironment(env.ID, s.baseline); err != nil {
		return err
	}
	env, _ = s.store.Environment(env.ID)
	s.writeData(w, r, http.StatusOK, s.environmentDTO(env))
	return nil
}

// handleExport answers the whole state as a dataset file (no envelope), so
// it can be saved and used as a --fixtures file or imported again.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	var buf strings.Builder
	if err := store.EncodeDataset(&buf, s.store.Dataset()); err != nil {
		return err
	}
	writeRaw(w, r, http.StatusOK, contentTypeJSON, []byte(buf.String()))
	return nil
}

// handleImport replaces the whole state with a dataset file. The document
// is read as it arrives (it may be large: up to the store's byte bound), and
// checked whole: a bad one changes nothing and gets a 400 naming the record
// and field, or a 403 past a bound.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > s.maxImportBytes() {
		return errTooLarge
	}
	ds, err := store.DecodeDataset(http.MaxBytesReader(w, r.Body, s.maxImportBytes()))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, os.ErrDeadlineExceeded):
		return bodyError(err)
	case err != nil:
		return errStatus(http.StatusBadRequest, "Import refused, nothing changed: "+err.Error())
	}
	if err := s.store.Load(ds); err != nil {
		var le *store.LimitError
		if !errors.As(err, &le) {
			err = errStatus(http.StatusBadRequest, "Import refused, nothing changed: "+err.Error())
		}
		return err
	}
	s.writeData(w, r, http.StatusOK, s.store.Counts())
	return nil
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

func (s *Server) maxImportBytes() int64 { return MaxImportBytes(s.store.Limits().Bytes) }

type cleared struct {
	Cleared int `json:"cleared"`
}

func (s *Server) handleClearJournal(w http.ResponseWriter, r *http.Request) {
	s.writeData(w, r, http.StatusOK, cleared{Cleared: s.journal.Clear()})
}

// handleProviders lists Novu's providers with their channel and credential
// keys: what the inspector's create form offers.
func (s *Server) handleProviders(w http.ResponseWriter, r *http.Request) {
	s.writeData(w, r, http.StatusOK, providers.All())
}

// handleEnvIntegrations lists an environment's live integrations with full
// credentials, as a dashboard sees them, but through the control plane: the
// inspector polls it every second, and its reads must not fill the journal
// a test suite asserts on.
func (s *Server) handleEnvIntegrations(w http.ResponseWriter, r *http.Request) error {
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	s.writeList(w, r, listSource{orgID: env.OrganizationID, envID: env.ID}, fullView)
	return nil
}

// handleDeleted lists an environment's soft-deleted integrations, newest
// deletion last, with full credentials: what no Novu route shows, for the
// inspector and for tests that check what a delete left behind.
func (s *Server) handleDeleted(w http.ResponseWriter, r *http.Request) error {
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	s.writeList(w, r, listSource{orgID: env.OrganizationID, envID: env.ID, deleted: true}, fullView)
	return nil
}

// handleEnvConnections lists every channel connection of an environment,
// as Novu's GET shows each, for the inspector: no paging, and read through
// the control plane so its polling stays out of the journal.
func (s *Server) handleEnvConnections(w http.ResponseWriter, r *http.Request) error {
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, listOf(s.store.Connections(env.ID), toConnectionDTO))
	return nil
}

// handleEnvEndpoints lists every channel endpoint of an environment with
// its full endpoint value, for the inspector.
func (s *Server) handleEnvEndpoints(w http.ResponseWriter, r *http.Request) error {
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, listOf(s.store.Endpoints(env.ID), toEndpointDTO))
	return nil
}

// environment finds the {environmentId} of a control-plane route: Novu's
// 404 when there is none.
func (s *Server) environment(r *http.Request) (store.Environment, error) {
	id := chi.URLParam(r, "environmentId")
	env, ok := s.store.Environment(validate.NormalizeID(id))
	if !ok {
		return env, errStatus(http.StatusNotFound, "Environment with id "+truncate(id, 64)+" not found")
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
}

func (s *Server) environmentDTO(e store.Environment) environmentDTO {
	org, _ := s.store.Organization(e.OrganizationID)
	keys := e.APIKeys
	if keys == nil {
		keys = []store.APIKey{}
	}
	return environmentDTO{ID: e.ID, OrganizationID: e.OrganizationID, OrganizationName: org.Name, Name: e.Name,
		APIKeys: keys, Integrations: s.store.LiveCount(e.ID)}
}

func (s *Server) handleEnvironments(w http.ResponseWriter, r *http.Request) {
	out := []environmentDTO{}
	for _, e := range s.store.Environments("") {
		out = append(out, s.environmentDTO(e))
	}
	s.writeData(w, r, http.StatusOK, out)
}

// newEnvironment is the body of POST /_mock/environments.
type newEnvironment struct {
	Name string `json:"name"`
	// OrganizationID adds the environment to an existing organization;
	// without it, a new organization named OrganizationName is made.
	OrganizationID   string `json:"organizationId"`
	OrganizationName string `json:"organizationName"`
}

func (s *Server) handleCreateEnvironment(w http.ResponseWriter, r *http.Request) error {
	var body newEnvironment
	if err := decodeStrict(r, &body); err != nil {
		return err
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
		return validationError(msgs)
	}
	env, err := s.store.CreateEnvironment(store.NewEnvironment{Name: body.Name,
		OrganizationID: validate.NormalizeID(body.OrganizationID), OrganizationName: body.OrganizationName})
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusCreated, s.environmentDTO(env))
	return nil
}

// newAPIKey is the body of POST /_mock/environments/{id}/api-keys; an empty
// key asks the mock to make one.
type newAPIKey struct {
	Key string `json:"key"`
}

func (s *Server) handleCreateAPIKey(w http.ResponseWriter, r *http.Request) error {
	var body newAPIKey
	if err := decodeStrict(r, &body); err != nil {
		return err
	}
	if body.Key != "" && !validate.APIKey(body.Key) {
		return validationError([]string{"key is not a valid key: " + validate.APIKeyRule})
	}
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	key, err := s.store.AddAPIKey(env.ID, body.Key)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusCreated, key)
	return nil
}

// session is a minted dashboard session for one environment.
type session struct {
	Token          string `json:"token"`
	UserID         string `json:"userId"`
	OrganizationID string `json:"organizationId"`
	EnvironmentID  string `json:"environmentId"`
}

// handleSession mints a dashboard (Bearer) token for an environment: the
// token's environmentId claim picks it, so no header is needed.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) error {
	env, err := s.environment(r)
	if err != nil {
		return err
	}
	userID := s.store.User(env.ID)
	if userID == "" {
		userID = s.store.NewObjectID()
	}
	c := SessionClaims{UserID: userID, OrganizationID: env.OrganizationID, EnvironmentID: env.ID}
	s.writeData(w, r, http.StatusCreated, session{Token: s.SessionToken(c), UserID: userID, OrganizationID: env.OrganizationID, EnvironmentID: env.ID})
	return nil
}

func (s *Server) handleFaults(w http.ResponseWriter, r *http.Request) {
	s.writeData(w, r, http.StatusOK, s.faults.all())
}

func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) error {
	var f fault
	if err := decodeStrict(r, &f); err != nil {
		return err
	}
	if msgs := f.check(); len(msgs) > 0 {
		return validationError(msgs)
	}
	added, err := s.faults.add(f)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusCreated, added)
	return nil
}

func (s *Server) handleClearFaults(w http.ResponseWriter, r *http.Request) {
	s.writeData(w, r, http.StatusOK, cleared{Cleared: s.faults.clear()})
}

func (s *Server) handleRemoveFault(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "faultId")
	if !s.faults.remove(id) {
		return errStatus(http.StatusNotFound, "Fault with id "+truncate(id, 64)+" not found")
	}
	s.writeData(w, r, http.StatusOK, cleared{Cleared: 1})
	return nil
}
