package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// The handlers of /v1/channel-connections (Novu's ChannelConnectionsController).
// Every route acts in the caller's environment (needsEnvironment).

func (s *Server) handleListConnections(w http.ResponseWriter, r *http.Request) error {
	f, q, err := parseConnectionList(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := s.store.ListConnections(principalOf(r).caller, f, q)
	if err != nil {
		return err
	}
	s.writePage(w, r, toPageDTO(page, toConnectionDTO))
	return nil
}

func (s *Server) handleCreateConnection(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	n, err := parseNewConnection(body)
	if err != nil {
		return err
	}
	c, err := s.store.CreateConnection(principalOf(r).caller, n)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusCreated, toConnectionDTO(c))
	return nil
}

func (s *Server) handleGetConnection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.Connection(principalOf(r).caller, chi.URLParam(r, "identifier"))
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, toConnectionDTO(c))
	return nil
}

func (s *Server) handleUpdateConnection(w http.ResponseWriter, r *http.Request) error {
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	ws, auth, err := parseConnectionUpdate(body)
	if err != nil {
		return err
	}
	c, err := s.store.UpdateConnection(principalOf(r).caller, chi.URLParam(r, "identifier"), ws, auth)
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, toConnectionDTO(c))
	return nil
}

func (s *Server) handleDeleteConnection(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteConnection(principalOf(r).caller, chi.URLParam(r, "identifier")); err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
