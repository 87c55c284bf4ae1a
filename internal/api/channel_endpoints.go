package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// The handlers of /v1/channel-endpoints (Novu's ChannelEndpointsController).
// Every route acts in the caller's environment (needsEnvironment).

func (s *Server) handleListEndpoints(w http.ResponseWriter, r *http.Request) error {
	f, q, err := parseEndpointList(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := s.store.ListEndpoints(principalOf(r).caller, f, q)
	if err != nil {
		return err
	}
	s.writePage(w, r, toPageDTO(page, toEndpointDTO))
	return nil
}

func (s *Server) handleCreateEndpoint(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	n, err := parseNewEndpoint(body)
	if err != nil {
		return err
	}
	e, err := s.store.CreateEndpoint(principalOf(r).caller, n)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusCreated, toEndpointDTO(e))
	return nil
}

func (s *Server) handleGetEndpoint(w http.ResponseWriter, r *http.Request) error {
	e, err := s.store.Endpoint(principalOf(r).caller, chi.URLParam(r, "identifier"))
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, toEndpointDTO(e))
	return nil
}

func (s *Server) handleUpdateEndpoint(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	value, err := parseEndpointUpdate(body)
	if err != nil {
		return err
	}
	e, err := s.store.UpdateEndpoint(principalOf(r).caller, chi.URLParam(r, "identifier"), value)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, toEndpointDTO(e))
	return nil
}

func (s *Server) handleDeleteEndpoint(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteEndpoint(principalOf(r).caller, chi.URLParam(r, "identifier")); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
