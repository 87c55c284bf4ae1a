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
		p := principalOf(w)
		if p.scheme == schemeBearer {
			writeData(w, http.StatusOK, p.view().list(s.store.List(p.caller.OrganizationID, "", activeOnly)))
			return
		}
		e, err := s.lists.body(s.store, p.caller.OrganizationID, p.caller.EnvironmentID, activeOnly, p.view())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeBody(w, http.StatusOK, e.body, e.length)
	}
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	p := principalOf(w)
	body, err := s.decodeBody(w, r)
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
	p := principalOf(w)
	body, err := s.decodeBody(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	patch, err := parseUpdate(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	it, err := s.store.Update(p.caller, integrationIDOf(w), patch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, p.view().one(it))
}

// handleSetPrimary ignores any body, as Novu does.
func (s *Server) handleSetPrimary(w http.ResponseWriter, r *http.Request) {
	p := principalOf(w)
	it, err := s.store.SetPrimary(p.caller, integrationIDOf(w))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, p.view().one(it))
}

// handleDelete answers with the integrations that remain, not the deleted one.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	p := principalOf(w)
	rest, err := s.store.Delete(p.caller, integrationIDOf(w))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, p.view().list(rest))
}

func (s *Server) handleWebhookStatus(w http.ResponseWriter, r *http.Request) {
	p := principalOf(w)
	ok, err := s.store.WebhookSupport(p.caller, chi.URLParam(r, "providerOrIntegrationId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeData(w, http.StatusOK, ok)
}

func (s *Server) handleInAppStatus(w http.ResponseWriter, r *http.Request) {
	p := principalOf(w)
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
