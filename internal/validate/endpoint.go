package validate

import (
	"net/url"
)

// The shapes of Novu's channel endpoints (libs/application-generic
// CHANNEL_ENDPOINT_SCHEMAS, validateEndpointForType): what each of the 14
// endpoint types holds. A value that breaks them is refused with
// EndpointFormat's message.

// EndpointTypes are Novu's endpoint types, in the order of its enum.
var EndpointTypes = []string{
	"slack_channel", "slack_user", "webhook", "phone", "ms_teams_channel", "ms_teams_user", "telegram_chat",
	"webex_room", "webex_person", "line_user", "pagerduty_service", "opsgenie_integration",
	"grafana_oncall_integration", "tool_webhook",
}

// EndpointFormat is Novu's message for an endpoint of the wrong shape.
func EndpointFormat(typ string) string {
	return `Endpoint must match the required format for type "` + typ + `"`
}

// field is one key an endpoint type allows.
type field struct {
	required bool
	// check accepts the value; nil means any string.
	check func(any) bool
}

var (
	routingKey = lazy(`^[a-zA-Z0-9]{32}$`)
	uuidRe     = lazy(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

func str(ok func(string) bool) func(any) bool {
	return func(v any) bool {
		s, isString := v.(string)
		return isString && ok(s)
	}
}

var (
	nonEmpty   = str(func(s string) bool { return s != "" })
	region     = str(func(s string) bool { return s == "us" || s == "eu" })
	httpURL    = str(HTTPURL)
	toolMethod = str(func(s string) bool { return s == "POST" || s == "PUT" || s == "PATCH" })
)

// stringMap accepts an object whose values are all strings (tool webhook
// headers).
func stringMap(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, x := range m {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}

var req = field{required: true}
var opt = field{}

// endpointShapes are the keys each type allows. webex_person's rule that
// exactly one of its two keys is given is in Endpoint.
var endpointShapes = map[string]map[string]field{
	"slack_channel":    {"channelId": req},
	"slack_user":       {"userId": req},
	"webhook":          {"url": req, "channel": opt},
	"phone":            {"phoneNumber": req},
	"ms_teams_channel": {"teamId": req, "channelId": req},
	"ms_teams_user":    {"userId": req, "tenantId": opt},
	"telegram_chat":    {"chatId": req},
	"webex_room":       {"roomId": {true, nonEmpty}, "parentId": {false, nonEmpty}},
	"webex_person":     {"personId": {false, nonEmpty}, "personEmail": {false, nonEmpty}},
	"line_user":        {"userId": req},
	"pagerduty_service": {"routingKey": {true, str(routingKey.MatchString)},
		"region": {true, region}},
	"opsgenie_integration":       {"apiKey": {true, str(uuidRe.MatchString)}, "region": {true, region}},
	"grafana_oncall_integration": {"url": {true, httpURL}, "authToken": opt},
	"tool_webhook": {"url": {true, httpURL}, "headers": {false, stringMap},
		"method": {false, toolMethod}},
}

// Endpoint reports whether m is a valid endpoint of the type (an unknown
// type has none).
func Endpoint(typ string, m map[string]any) bool {
	shape, ok := endpointShapes[typ]
	if !ok {
		return false
	}
	for k, v := range m {
		f, allowed := shape[k]
		if !allowed {
			return false
		}
		check := f.check
		if check == nil {
			check = str(func(string) bool { return true })
		}
		if !check(v) {
			return false
		}
	}
	for k, f := range shape {
		if _, given := m[k]; f.required && !given {
			return false
		}
	}
	if typ == "webex_person" {
		_, id := m["personId"]
		_, email := m["personEmail"]
		return id != email
	}
	return true
}

// HTTPURL reports whether s is an absolute http or https URL with a host.
func HTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
