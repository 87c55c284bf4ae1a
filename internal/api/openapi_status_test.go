package api_test

import (
	"fmt"
	"sort"
)

// statusChecked are the operations whose every documented status the
// suite must exercise, not just one of them: the channel routes. 500 and
// 408 are left out (an unexpected error and a stalled body have tests of
// their own, on other routes).
var statusChecked = map[string]bool{
	"generateConnectOAuthUrl": true, "generateLinkUserOAuthUrl": true, "generateChatOAuthUrl": true,
	"linkChannelEndpoint": true, "createIntegrationMobileLink": true, "configureIntegrationWebhook": true,
	"autoConfigureIntegration": true,
	"listChannelConnections":   true, "createChannelConnection": true, "getChannelConnection": true,
	"updateChannelConnection": true, "deleteChannelConnection": true,
	"listChannelEndpoints": true, "createChannelEndpoint": true, "getChannelEndpoint": true,
	"updateChannelEndpoint": true, "deleteChannelEndpoint": true,
	"mockOAuthConsentPage": true, "mockOAuthConsent": true,
	"mockEnvironmentChannelConnections": true, "mockEnvironmentChannelEndpoints": true,
	"mockFindRequests": true, "mockCountRequests": true, "mockWaitRequests": true,
	"createSubscriber": true, "createSubscriberLegacy": true, "getSubscriber": true, "getSubscriberLegacy": true,
	"deleteSubscriber": true, "deleteSubscriberLegacy": true, "verifyChannelConnection": true, "telegramInboundWebhook": true,
}

// idempotencyOnly are the answers Idempotency-Key adds to every POST and
// PATCH; the idempotency tests exercise them on the create route.
var idempotencyOnly = map[string]bool{
	"#/components/responses/IdempotencyConflict":   true,
	"#/components/responses/IdempotencyKeyTooLong": true,
}

// unexercisedStatuses lists the documented statuses of statusChecked
// operations that no test answered.
func unexercisedStatuses() []string {
	doc, err := contract()
	if err != nil {
		return []string{err.Error()}
	}
	coverage.Lock()
	defer coverage.Unlock()
	var missing []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !statusChecked[op.OperationID] {
				continue
			}
			for status, resp := range op.Responses.Map() {
				if status == "500" || status == "408" || idempotencyOnly[resp.Ref] {
					continue
				}
				if coverage.seen[fmt.Sprintf("%s %s %s", method, path, status)] == 0 {
					missing = append(missing, fmt.Sprintf("%s %s → %s", method, path, status))
				}
			}
		}
	}
	sort.Strings(missing)
	return missing
}
