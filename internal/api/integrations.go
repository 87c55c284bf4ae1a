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

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	n, err := parseCreate(body)
	if err != nil {
		return err
	}
	if n.EnvironmentID == "" {
		if err := requireEnvironment(p); err != nil {
			return err
		}
	}
	it, err := s.store.Create(p.caller, n)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusCreated, p.view().one(it))
	return nil
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	patch, err := parseUpdate(body)
	if err != nil {
		return err
	}
	it, err := s.store.Update(p.caller, stateOf(r).integrationID, patch)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, p.view().one(it))
	return nil
}

// handleSetPrimary ignores any body, as Novu does.
func (s *Server) handleSetPrimary(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	it, err := s.store.SetPrimary(p.caller, stateOf(r).integrationID)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, p.view().one(it))
	return nil
}

// handleDelete answers with the integrations that remain, not the deleted
// one: a list of the environment, read after the delete as Novu does.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	envID, err := s.store.Delete(p.caller, stateOf(r).integrationID)
	if err != nil {
		return err
	}
	s.writeList(w, r, listSource{orgID: p.caller.OrganizationID, envID: envID}, p.view())
	return nil
}

func (s *Server) handleWebhookStatus(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	ok, err := s.store.WebhookSupport(p.caller, chi.URLParam(r, "providerOrIntegrationId"))
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, ok)
	return nil
}

func (s *Server) handleInAppStatus(w http.ResponseWriter, r *http.Request) error {
	s.writeData(w, r, http.StatusOK, map[string]bool{"active": s.store.InAppActive(principalOf(r).caller)})
	return nil
}

func (s *Server) handleLimit(w http.ResponseWriter, r *http.Request) error {
	ch := store.Channel(chi.URLParam(r, "channelType"))
	if !ch.Valid() {
		return errStatus(http.StatusBadRequest, validate.Enum("channelType", validate.Channels))
	}
	s.writeData(w, r, http.StatusOK, store.ChannelLimit(ch))
	return nil
}
