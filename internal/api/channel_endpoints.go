package api

import (
	"net/http"
)

// The handlers of /v1/channel-endpoints (Novu's ChannelEndpointsController).
// Every route acts in the caller's environment (novuEnvRoute).

func (s *Handler) listEndpoints(req *request) (answer, error) {
	return s.cachedPage(req, "channel-endpoints", func() (answer, error) {
		f, q, err := parseEndpointList(req.URL.Query())
		if err != nil {
			return answer{}, err
		}
		page, err := s.store.ListEndpoints(req.principal.caller, f, q)
		if err != nil {
			return answer{}, err
		}
		return jsonAnswer(http.StatusOK, toPageDTO(page, toEndpointDTO))
	})
}

func (s *Handler) createEndpoint(req *request) (answer, error) {
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	n, err := parseNewEndpoint(body)
	if err != nil {
		return answer{}, err
	}
	e, err := s.store.CreateEndpoint(req.principal.caller, n)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusCreated, toEndpointDTO(e))
}

func (s *Handler) getEndpoint(req *request) (answer, error) {
	e, err := s.store.Endpoint(req.principal.caller, req.param("identifier"))
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, toEndpointDTO(e))
}

func (s *Handler) updateEndpoint(req *request) (answer, error) {
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	value, err := parseEndpointUpdate(body)
	if err != nil {
		return answer{}, err
	}
	e, err := s.store.UpdateEndpoint(req.principal.caller, req.param("identifier"), value)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, toEndpointDTO(e))
}

func (s *Handler) deleteEndpoint(req *request) (answer, error) {
	if err := s.store.DeleteEndpoint(req.principal.caller, req.param("identifier")); err != nil {
		return answer{}, err
	}
	return noContent(), nil
}
