package store

import (
	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/validate"
)

// WebhookSupport answers Novu's webhook support status for a provider id or
// an integration id, looked up in the caller's environment: whether Novu can
// receive delivery webhooks for that integration.
func (s *Store) WebhookSupport(c Caller, providerOrIntegrationID string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()

	param := providerOrIntegrationID
	var found Integration
	if e, ok := s.envs[c.EnvironmentID]; ok && e.OrganizationID == c.OrganizationID {
		_, isProvider := providers.Lookup(param)
		field, want := fProviderID, param
		if !isProvider {
			field, want = fID, validate.NormalizeID(param)
		}
		for _, h := range e.live {
			if e.tab.str(h, field) == want {
				found = e.tab.get(h)
				break
			}
		}
	}
	if found.ID == "" {
		return false, errs.Errorf(errs.NotFound, "Integration for %s was not found", param)
	}
	if found.Credentials.IsEmpty() {
		return false, errs.Errorf(errs.Invalid, "Integration %s doesn't have credentials set up", found.ID)
	}
	if !found.Ranked() {
		return false, errs.Errorf(errs.Invalid, "Webhook for %s-%s is not supported yet", found.ProviderID, channelName(found))
	}
	return providers.SupportsDeliveryWebhook(found.ProviderID), nil
}

// InAppActive reports whether the caller's environment has an active Novu
// Inbox (in_app) integration, as Novu's in-app status route does.
func (s *Store) InAppActive(c Caller) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.envs[c.EnvironmentID]
	if !ok || e.OrganizationID != c.OrganizationID {
		return false
	}
	for _, h := range e.live {
		if e.tab.channel(h) == ChannelInApp && e.tab.rec(h).active {
			return true
		}
	}
	return false
}

// Limit is the monthly message allowance of Novu's own demo provider for a
// channel, and how much of it is used.
type Limit struct {
	Limit int `json:"limit"`
	Count int `json:"count"`
}

// ChannelLimit returns the allowance of Novu's demo provider for a channel:
// 300 emails and 20 SMS a month; other channels have none. The mock sends
// nothing, so the count is always 0.
func ChannelLimit(ch Channel) Limit {
	switch ch {
	case ChannelEmail:
		return Limit{Limit: 300}
	case ChannelSMS:
		return Limit{Limit: 20}
	}
	return Limit{}
}
