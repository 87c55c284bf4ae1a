package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/journal"
	"github.com/novumock/novumock/internal/store"
)

// The control plane lives under /_mock/, a prefix Novu never uses. It needs
// no authentication: it is for the test suite, the demo and the inspector
// that run the mock, not for the client under test.

// maxStateBytes caps an imported state document, far above API bodies.
const maxStateBytes = 64 << 20

func (s *Server) controlRoutes(r chi.Router) {
	r.Get("/health", s.handleHealth)
	r.Get("/ready", s.handleReady)
	r.Post("/reset", s.handleReset)
	r.Get("/state", s.handleExport)
	r.Put("/state", s.handleImport)
	r.Get("/requests", s.handleJournal)
	r.Delete("/requests", s.handleClearJournal)
	r.Get("/environments", s.handleEnvironments)
	r.Post("/environments", s.handleCreateEnvironment)
	r.Post("/environments/{environmentId}/reset", s.handleResetEnvironment)
	r.Get("/environments/{environmentId}/integrations", s.handleEnvIntegrations)
	r.Get("/environments/{environmentId}/deleted", s.handleDeleted)
	r.Post("/environments/{environmentId}/api-keys", s.handleCreateAPIKey)
	r.Post("/environments/{environmentId}/session", s.handleSession)
	r.Get("/faults", s.handleFaults)
	r.Post("/faults", s.handleAddFault)
	r.Delete("/faults", s.handleClearFaults)
	r.Delete("/faults/{faultId}", s.handleRemoveFault)
	r.Get("/ui", s.handleInspectorPage) // "/_mock/ui/" too: StripSlashes
	r.Get("/ui/*", s.handleInspectorFile)
}

type status struct {
	Status string `json:"status"`
}

// handleHealth is the liveness probe: the process answers.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeData(w, http.StatusOK, status{Status: "ok"})
}

// handleReady is the readiness probe: the data is loaded and the server is
// not shutting down.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		s.writeError(w, r, errStatus(http.StatusServiceUnavailable, "Shutting down"))
		return
	}
	writeData(w, http.StatusOK, status{Status: "ready"})
}

// counts summarises what the store holds after a reset or import.
type counts struct {
	Organizations int `json:"organizations"`
	Environments  int `json:"environments"`
	Integrations  int `json:"integrations"`
}

func (s *Server) counts() counts {
	orgs, envs, integrations := s.store.Counts()
	return counts{orgs, envs, integrations}
}

// handleReset puts data, journal and faults back to the start.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	if err := s.Reset(); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, s.counts())
}

// handleResetEnvironment puts one environment's integrations and keys back;
// other environments, the journal and the faults are untouched.
func (s *Server) handleResetEnvironment(w http.ResponseWriter, r *http.Request) {
	id := store.NormalizeID(chi.URLParam(r, "environmentId"))
	if err := s.store.ResetEnvironment(id, s.baseline); err != nil {
		s.writeError(w, r, err)
		return
	}
	env, _ := s.store.Environment(id)
	writeData(w, http.StatusOK, s.environmentDTO(env))
}

// handleExport answers the whole state as a dataset file (no envelope), so
// it can be saved and used as a --fixtures file or imported again.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := store.EncodeDataset(&buf, s.store.Dataset()); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeBytes(w, http.StatusOK, buf.Bytes())
}

// handleImport replaces the whole state with a dataset file. A bad document
// changes nothing and gets a 400 naming the record and field.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	raw, err := readBody(w, r, maxStateBytes)
	if err != nil {
		s.writeError(w, r, errStatus(http.StatusRequestEntityTooLarge, "request entity too large"))
		return
	}
	ds, err := store.DecodeDataset(raw)
	if err == nil {
		err = s.store.Load(ds)
	}
	if err != nil {
		s.writeError(w, r, errStatus(http.StatusBadRequest, "Import refused, nothing changed: "+err.Error()))
		return
	}
	writeData(w, http.StatusOK, s.counts())
}

// handleJournal lists the recorded API requests, oldest first, filtered by
// the method, path (prefix), environmentId and after (an entry id: only
// newer ones) query parameters.
func (s *Server) handleJournal(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := journal.Filter{Method: q.Get("method"), Path: q.Get("path"), EnvironmentID: q.Get("environmentId")}
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseUint(a, 10, 64)
		if err != nil {
			s.writeError(w, r, paramError("after", a, "after must be a whole number (an entry id)"))
			return
		}
		f.After = n
	}
	writeData(w, http.StatusOK, s.journal.List(f))
}

// handleEnvIntegrations lists an environment's live integrations with full
// credentials, as a dashboard sees them, but through the control plane: the
// inspector polls it every second, and its reads must not fill the journal
// a test suite asserts on.
func (s *Server) handleEnvIntegrations(w http.ResponseWriter, r *http.Request) {
	env, ok := s.envParam(w, r)
	if ok {
		writeData(w, http.StatusOK, view{}.list(s.store.List(env.OrganizationID, env.ID, false)))
	}
}

// handleDeleted lists an environment's soft-deleted integrations, newest
// deletion last, with full credentials: what no Novu route shows, for the
// inspector and for tests that check what a delete left behind.
func (s *Server) handleDeleted(w http.ResponseWriter, r *http.Request) {
	env, ok := s.envParam(w, r)
	if ok {
		writeData(w, http.StatusOK, view{}.list(s.store.Deleted(env.ID)))
	}
}

// envUser is the user an environment's API keys act as: a new key or
// session acts as the same one (a new one if it has no key).
func (s *Server) envUser(env store.Environment) string {
	if len(env.APIKeys) > 0 {
		return env.APIKeys[0].UserID
	}
	return s.store.NewObjectID()
}

// envParam finds the {environmentId} of a control-plane route, answering
// Novu's 404 when there is none.
func (s *Server) envParam(w http.ResponseWriter, r *http.Request) (store.Environment, bool) {
	id := chi.URLParam(r, "environmentId")
	env, ok := s.store.Environment(store.NormalizeID(id))
	if !ok {
		s.writeError(w, r, errStatus(http.StatusNotFound, "Environment with id "+id+" not found"))
	}
	return env, ok
}

type cleared struct {
	Cleared int `json:"cleared"`
}

func (s *Server) handleClearJournal(w http.ResponseWriter, r *http.Request) {
	writeData(w, http.StatusOK, cleared{Cleared: s.journal.Clear()})
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
	writeData(w, http.StatusOK, out)
}

// newEnvironment is the body of POST /_mock/environments.
type newEnvironment struct {
	Name string `json:"name"`
	// OrganizationID adds the environment to an existing organization;
	// without it, a new organization named OrganizationName is made.
	OrganizationID   string `json:"organizationId"`
	OrganizationName string `json:"organizationName"`
}

func (s *Server) handleCreateEnvironment(w http.ResponseWriter, r *http.Request) {
	var body newEnvironment
	if err := s.decodeStrict(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	if strings.TrimSpace(body.Name) == "" {
		s.writeError(w, r, validationError([]string{"name should not be empty"}))
		return
	}
	orgID := store.NormalizeID(body.OrganizationID)
	var userID string
	if orgID == "" {
		name := body.OrganizationName
		if name == "" {
			name = body.Name
		}
		org, err := s.store.CreateOrganization(name)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		orgID, userID = org.ID, s.store.NewObjectID() // the new organization's user
	} else if envs := s.store.Environments(orgID); len(envs) > 0 {
		userID = s.envUser(envs[0]) // the organization's existing user
	} else {
		userID = s.store.NewObjectID()
	}
	env, err := s.store.CreateEnvironment(orgID, body.Name, userID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusCreated, s.environmentDTO(env))
}

// newAPIKey is the body of POST /_mock/environments/{id}/api-keys; an empty
// key asks the mock to make one.
type newAPIKey struct {
	Key string `json:"key"`
}

func (s *Server) handleCreateAPIKey(w http.ResponseWriter, r *http.Request) {
	var body newAPIKey
	if err := s.decodeStrict(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(body.Key) > maxAPIKeyLength || strings.ContainsAny(body.Key, " \t\r\n") {
		s.writeError(w, r, validationError([]string{"key must have no white space and at most 256 characters"}))
		return
	}
	env, ok := s.envParam(w, r)
	if !ok {
		return
	}
	userID := s.envUser(env)
	key, err := s.store.AddAPIKey(env.ID, body.Key, userID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusCreated, store.APIKey{Key: key, UserID: userID})
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
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	env, ok := s.envParam(w, r)
	if !ok {
		return
	}
	userID := s.envUser(env)
	c := SessionClaims{UserID: userID, OrganizationID: env.OrganizationID, EnvironmentID: env.ID}
	writeData(w, http.StatusCreated, session{Token: SessionToken(c), UserID: userID, OrganizationID: env.OrganizationID, EnvironmentID: env.ID})
}

func (s *Server) handleFaults(w http.ResponseWriter, r *http.Request) {
	writeData(w, http.StatusOK, s.faults.all())
}

func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) {
	var f fault
	if err := s.decodeStrict(w, r, &f); err != nil {
		s.writeError(w, r, err)
		return
	}
	if msgs := f.check(); len(msgs) > 0 {
		s.writeError(w, r, validationError(msgs))
		return
	}
	writeData(w, http.StatusCreated, s.faults.add(f))
}

func (s *Server) handleClearFaults(w http.ResponseWriter, r *http.Request) {
	writeData(w, http.StatusOK, cleared{Cleared: s.faults.clear()})
}

func (s *Server) handleRemoveFault(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "faultId")
	if !s.faults.remove(id) {
		s.writeError(w, r, errStatus(http.StatusNotFound, "Fault with id "+id+" not found"))
		return
	}
	writeData(w, http.StatusOK, cleared{Cleared: 1})
}

// decodeStrict reads a control-plane body into v, refusing unknown fields
// so that a typo ("delay" for "delayMs") is an error, not a silent no-op.
func (s *Server) decodeStrict(w http.ResponseWriter, r *http.Request, v any) error {
	raw, err := readBody(w, r, s.maxBody)
	if err != nil {
		return errStatus(http.StatusRequestEntityTooLarge, "request entity too large")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return validationError([]string{typeErr.Field + " has the wrong type: got " + typeErr.Value})
		}
		return errStatus(http.StatusBadRequest, "Body is not valid: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}
