package api

import (
	"net/http"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// The handlers of /v1/integrations (Novu's IntegrationsController).

// listIntegrations answers GET /v1/integrations and /active: the caller's
// environment for an API key, the whole organization for the dashboard.
func (s *Handler) listIntegrations(activeOnly bool) handler {
	return func(req *request) (answer, error) {
		p := req.principal
		src := listSource{orgID: p.caller.OrganizationID, envID: p.caller.EnvironmentID, activeOnly: activeOnly}
		if p.scheme == schemeBearer {
			src.envID = ""
		}
		return s.list(req, src, p.view())
	}
}

func (s *Handler) createIntegration(req *request) (answer, error) {
	p := req.principal
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	n, err := parseCreate(body)
	if err != nil {
		return answer{}, err
	}
	if n.EnvironmentID == "" {
		if err := requireEnvironment(p); err != nil {
			return answer{}, err
		}
	}
	it, err := s.store.Create(p.caller, n)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusCreated, p.view().one(it))
}

func (s *Handler) updateIntegration(req *request) (answer, error) {
	p := req.principal
	id, err := req.integrationID()
	if err != nil {
		return answer{}, err
	}
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	patch, err := parseUpdate(body)
	if err != nil {
		return answer{}, err
	}
	it, err := s.store.Update(p.caller, id, patch)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, p.view().one(it))
}

// setPrimary ignores any body, as Novu does.
func (s *Handler) setPrimary(req *request) (answer, error) {
	p := req.principal
	id, err := req.integrationID()
	if err != nil {
		return answer{}, err
	}
	it, err := s.store.SetPrimary(p.caller, id)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, p.view().one(it))
}

// deleteIntegration answers with the integrations that remain, not the
// deleted one: a list of the environment, read after the delete as Novu
// does.
func (s *Handler) deleteIntegration(req *request) (answer, error) {
	p := req.principal
	id, err := req.integrationID()
	if err != nil {
		return answer{}, err
	}
	envID, err := s.store.Delete(p.caller, id)
	if err != nil {
		return answer{}, err
	}
	return s.list(req, listSource{orgID: p.caller.OrganizationID, envID: envID}, p.view())
}

func (s *Handler) webhookStatus(req *request) (answer, error) {
	ok, err := s.store.WebhookSupport(req.principal.caller, req.param("providerOrIntegrationId"))
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, ok)
}

func (s *Handler) inAppStatus(req *request) (answer, error) {
	return data(http.StatusOK, map[string]bool{"active": s.store.InAppActive(req.principal.caller)})
}

func (s *Handler) channelLimit(req *request) (answer, error) {
	ch := store.Channel(req.param("channelType"))
	if !ch.Valid() {
		return answer{}, errs.New(errs.Invalid, validate.Enum("channelType", validate.Channels))
	}
	return data(http.StatusOK, store.ChannelLimit(ch))
}
