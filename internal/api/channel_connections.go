package api

import (
	"net/http"
)

// The handlers of /v1/channel-connections (Novu's ChannelConnectionsController).
// Every route acts in the caller's environment (novuEnvRoute).

func (s *Handler) listConnections(req *request) (answer, error) {
	return s.cachedPage(req, "channel-connections", func() (answer, error) {
		f, q, err := parseConnectionList(req.URL.Query())
		if err != nil {
			return answer{}, err
		}
		page, err := s.store.ListConnections(req.principal.caller, f, q)
		if err != nil {
			return answer{}, err
		}
		return jsonAnswer(http.StatusOK, toPageDTO(page, toConnectionDTO))
	})
}

func (s *Handler) createConnection(req *request) (answer, error) {
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	n, err := parseNewConnection(body)
	if err != nil {
		return answer{}, err
	}
	c, err := s.store.CreateConnection(req.principal.caller, n)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusCreated, toConnectionDTO(c))
}

func (s *Handler) getConnection(req *request) (answer, error) {
	c, err := s.store.Connection(req.principal.caller, req.param("identifier"))
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, toConnectionDTO(c))
}

func (s *Handler) updateConnection(req *request) (answer, error) {
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	ws, auth, err := parseConnectionUpdate(body)
	if err != nil {
		return answer{}, err
	}
	c, err := s.store.UpdateConnection(req.principal.caller, req.param("identifier"), ws, auth)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, toConnectionDTO(c))
}

func (s *Handler) deleteConnection(req *request) (answer, error) {
	if err := s.store.DeleteConnection(req.principal.caller, req.param("identifier")); err != nil {
		return answer{}, err
	}
	return noContent(), nil
}

// verifyConnection answers POST /v1/channel-connections/{identifier}/verify
// (contract L3). Novu refreshes a rotating token with the provider there;
// the mock calls no provider, so the connection is answered as it is.
func (s *Handler) verifyConnection(req *request) (answer, error) {
	c, err := s.store.Connection(req.principal.caller, req.param("identifier"))
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, toConnectionDTO(c))
}
