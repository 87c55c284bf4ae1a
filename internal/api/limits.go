package api

import (
	"fmt"

	"github.com/novumock/novumock/internal/store"
)

// limitAnswer words a bound of the store for the client that hit it (a
// 403, as Novu answers a plan's limits): what
// ran out, the number, the flag that sets it (the same name in novutest's
// server.Limits; see docs/limits.md) and what to do.
func limitAnswer(le *store.LimitError) string {
	switch le.Resource {
	case store.Integrations:
		return fmt.Sprintf(
			"Integration limit reached: environment %s holds %d live integrations, the most --max-integrations allows; delete some or reset the mock",
			le.Scope, le.Limit)
	case store.ChannelConnections, store.ChannelEndpoints:
		what := "channel connections"
		if le.Resource == store.ChannelEndpoints {
			what = "channel endpoints"
		}
		return fmt.Sprintf(
			"Channel limit reached: environment %s holds %d %s, the most --max-integrations allows for each kind; delete some or reset the mock",
			le.Scope, le.Limit, what)
	case store.Bytes:
		return fmt.Sprintf(
			"Storage limit reached: the mock holds the %d MiB of records --max-store-mb allows; delete some or reset the mock",
			le.Limit>>20)
	}
	return fmt.Sprintf(
		"Limit reached: %d %s were made since the last reset, the most --max-tenants allows; reset the mock (POST /_mock/reset) or raise it",
		le.Limit, le.Resource)
}
