package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// The handlers of /v1/channel-endpoints (Novu's ChannelEndpointsController).
// Every route acts in the caller's environment.

func (s *Server) handleListEndpoints(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, q, err := parseEndpointList(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.ListEndpoints(p.caller, f, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePage(w, r, toPageDTO(page, toEndpointDTO))
}

func (s *Server) handleCreateEndpoint(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := decodeObject(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := parseNewEndpoint(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.store.CreateEndpoint(p.caller, n)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusCreated, toEndpointDTO(e))
}

func (s *Server) handleGetEndpoint(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.store.Endpoint(p.caller, chi.URLParam(r, "identifier"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, toEndpointDTO(e))
}

func (s *Server) handleUpdateEndpoint(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := decodeObject(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	value, err := parseEndpointUpdate(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.store.UpdateEndpoint(p.caller, chi.URLParam(r, "identifier"), value)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, toEndpointDTO(e))
}

func (s *Server) handleDeleteEndpoint(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.DeleteEndpoint(p.caller, chi.URLParam(r, "identifier")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
