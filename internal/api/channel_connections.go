package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// The handlers of /v1/channel-connections (Novu's ChannelConnectionsController).
// Every route acts in the caller's environment.

// channelCaller is the caller of a channel route, which needs an
// environment.
func channelCaller(r *http.Request) (principal, error) {
	p := principalOf(r)
	return p, requireEnvironment(p)
}

func (s *Server) handleListConnections(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, q, err := parseConnectionList(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.store.ListConnections(p.caller, f, q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePage(w, r, toPageDTO(page, toConnectionDTO))
}

func (s *Server) handleCreateConnection(w http.ResponseWriter, r *http.Request) {
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
	n, err := parseNewConnection(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.store.CreateConnection(p.caller, n)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusCreated, toConnectionDTO(c))
}

func (s *Server) handleGetConnection(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.store.Connection(p.caller, chi.URLParam(r, "identifier"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, toConnectionDTO(c))
}

func (s *Server) handleUpdateConnection(w http.ResponseWriter, r *http.Request) {
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
	ws, auth, err := parseConnectionUpdate(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.store.UpdateConnection(p.caller, chi.URLParam(r, "identifier"), ws, auth)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeData(w, r, http.StatusOK, toConnectionDTO(c))
}

func (s *Server) handleDeleteConnection(w http.ResponseWriter, r *http.Request) {
	p, err := channelCaller(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.DeleteConnection(p.caller, chi.URLParam(r, "identifier")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
