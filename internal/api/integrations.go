package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/store"
)

// handleList answers GET /v1/integrations and /active: the caller's
// environment for an API key, the whole organization for the dashboard.
func (s *Server) handleList(activeOnly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalFrom(r.Context())
		envID := p.caller.EnvironmentID
		if p.scheme == schemeBearer {
			envID = ""
		}
		writeData(w, http.StatusOK, p.view().list(s.store.List(p.caller.OrganizationID, envID, activeOnly)))
	}
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	body, err := s.decodeBody(r)
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
	writeData(w, http.StatusCreated, p.view().one(it))
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	body, err := s.decodeBody(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	patch, err := parseUpdate(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	it, err := s.store.Update(p.caller, integrationIDFrom(r.Context()), patch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, p.view().one(it))
}

// handleSetPrimary ignores any body, as Novu does.
func (s *Server) handleSetPrimary(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	it, err := s.store.SetPrimary(p.caller, integrationIDFrom(r.Context()))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, p.view().one(it))
}

// handleDelete answers with the integrations that remain, not the deleted one.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	rest, err := s.store.Delete(p.caller, integrationIDFrom(r.Context()))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, p.view().list(rest))
}

func (s *Server) handleWebhookStatus(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	ok, err := s.store.WebhookSupport(p.caller, chi.URLParam(r, "providerOrIntegrationId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, ok)
}

func (s *Server) handleInAppStatus(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if err := requireEnvironment(p); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, map[string]bool{"active": s.store.InAppActive(p.caller)})
}

func (s *Server) handleLimit(w http.ResponseWriter, r *http.Request) {
	ch := store.Channel(chi.URLParam(r, "channelType"))
	if !ch.Valid() {
		s.writeError(w, r, errStatus(http.StatusBadRequest, store.EnumMessage("channelType", channelValues)))
		return
	}
	writeData(w, http.StatusOK, store.ChannelLimit(ch))
}
