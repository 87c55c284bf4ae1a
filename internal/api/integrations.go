package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// handleList answers GET /v1/integrations and /active: the caller's
// environment for an API key, the whole organization for the dashboard.
func (s *Server) handleList(activeOnly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r)
		src := listSource{orgID: p.caller.OrganizationID, envID: p.caller.EnvironmentID, activeOnly: activeOnly}
		if p.scheme == schemeBearer {
			src.envID = ""
		}
		s.writeList(w, r, src, p.view())
	}
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	body, err := decodeObject(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := parseCreate(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if n.EnvironmentID == "" {
		if err := requireEnvironment(p); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	it, err := s.store.Create(p.caller, n)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusCreated, p.view().one(it))
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	body, err := decodeObject(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	patch, err := parseUpdate(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	it, err := s.store.Update(p.caller, stateOf(r).integrationID, patch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, p.view().one(it))
}

// handleSetPrimary ignores any body, as Novu does.
func (s *Server) handleSetPrimary(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	it, err := s.store.SetPrimary(p.caller, stateOf(r).integrationID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, p.view().one(it))
}

// handleDelete answers with the integrations that remain, not the deleted
// one: a list of the environment, read after the delete as Novu does.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	envID, err := s.store.Delete(p.caller, stateOf(r).integrationID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeList(w, r, listSource{orgID: p.caller.OrganizationID, envID: envID}, p.view())
}

func (s *Server) handleWebhookStatus(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	ok, err := s.store.WebhookSupport(p.caller, chi.URLParam(r, "providerOrIntegrationId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, ok)
}

func (s *Server) handleInAppStatus(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if err := requireEnvironment(p); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, map[string]bool{"active": s.store.InAppActive(p.caller)})
}

func (s *Server) handleLimit(w http.ResponseWriter, r *http.Request) {
	ch := store.Channel(chi.URLParam(r, "channelType"))
	if !ch.Valid() {
		s.writeError(w, r, errStatus(http.StatusBadRequest, validate.Enum("channelType", validate.Channels)))
		return
	}
	s.writeData(w, r, http.StatusOK, store.ChannelLimit(ch))
}
