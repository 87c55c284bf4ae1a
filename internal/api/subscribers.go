package api

import (
	"net/http"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// Novu's subscriber routes, as far as integrations need them (contract
// I3–I5): create (an upsert), retrieve and delete, v2 (what @novu/api's
// subscribers.create, retrieve and delete call) and legacy v1 (what Novu's
// "Subscriber not found" text names). Every route acts in the caller's
// environment. Preferences, topics and channel credentials are not kept.

// subscriberDTO is SubscriberResponseDto (contract I2). An optional field
// that is unset is left out; isOnline and lastOnlineAt are null when
// unset, as Novu's mapper answers them.
type subscriberDTO struct {
	ID             string       `json:"_id"`
	SubscriberID   string       `json:"subscriberId"`
	FirstName      *string      `json:"firstName,omitempty"`
	LastName       *string      `json:"lastName,omitempty"`
	Email          *string      `json:"email,omitempty"`
	Phone          *string      `json:"phone,omitempty"`
	Avatar         *string      `json:"avatar,omitempty"`
	Locale         *string      `json:"locale,omitempty"`
	Timezone       *string      `json:"timezone,omitempty"`
	Data           store.Object `json:"data"`
	IsOnline       *bool        `json:"isOnline"`
	LastOnlineAt   *string      `json:"lastOnlineAt"`
	OrganizationID string       `json:"_organizationId"`
	EnvironmentID  string       `json:"_environmentId"`
	Deleted        bool         `json:"deleted"`
	CreatedAt      string       `json:"createdAt"`
	UpdatedAt      string       `json:"updatedAt"`
}

func toSubscriberDTO(s store.Subscriber) subscriberDTO {
	return subscriberDTO{
		ID: s.ID, SubscriberID: s.SubscriberID, FirstName: s.FirstName, LastName: s.LastName, Email: s.Email,
		Phone: s.Phone, Avatar: s.Avatar, Locale: s.Locale, Timezone: s.Timezone, Data: s.Data,
		OrganizationID: s.OrganizationID, EnvironmentID: s.EnvironmentID,
		CreatedAt: s.CreatedAt.String(), UpdatedAt: s.UpdatedAt.String(),
	}
}

// subscriberRemoved is RemoveSubscriberResponseDto.
type subscriberRemoved struct {
	Acknowledged bool   `json:"acknowledged"`
	Status       string `json:"status"`
}

// subscriberVersion tells the two generations of routes apart: their
// bodies, texts and leniency differ.
type subscriberVersion int

const (
	subscribersV1 subscriberVersion = 1
	subscribersV2 subscriberVersion = 2
)

// parseSubscriber checks a create body against the version's DTO and
// returns the subscriberId and the fields it sets.
//
// v2 (CreateSubscriberRequestDto of subscribers-v2): subscriberId is
// trimmed and must not be empty ("SubscriberId is required"); the optional
// fields may be null; the controller passes `field || undefined`, so null
// and "" leave a field as it is, and data defaults to {}; timezone is
// stored. v1: the fields as given (null clears one), no timezone, and data
// passed through unchecked (the DTO does not declare it).
func parseSubscriber(body map[string]any, v subscriberVersion) (string, store.SubscriberFields, error) {
	b := newChannelBody(body)
	f := store.SubscriberFields{Given: map[string]bool{}}
	var id string
	if v == subscribersV2 {
		raw, given := b.Value("subscriberId")
		s, isString := raw.(string)
		s = strings.TrimSpace(s)
		switch {
		case !given:
			b.Add(validate.Defined("subscriberId"), "SubscriberId is required", validate.IsString("subscriberId"))
		case !isString:
			b.Add(validate.IsString("subscriberId"))
		case s == "":
			b.Add("SubscriberId is required")
		}
		id = b.bounded("subscriberId", &s)
	} else {
		id = b.required("subscriberId")
	}
	targets := f.Values.Texts()
	for i, field := range store.SubscriberTextFields {
		if field == "timezone" && v == subscribersV1 {
			continue
		}
		raw, present := body[field]
		if !present {
			continue
		}
		if raw == nil { // null: allowed by every field
			f.Given[field] = v == subscribersV1
			continue
		}
		s, isString := raw.(string)
		check, special := subscriberTextChecks[field]
		switch {
		case special:
			if msg, ok := check(s); !isString || !ok {
				b.Add(msg)
				continue
			}
		case !isString:
			b.Add(validate.IsString(field))
			continue
		}
		s = b.bounded(field, &s)
		if v == subscribersV2 && s == "" {
			continue // `"" || undefined`
		}
		*targets[i] = &s
		f.Given[field] = true
	}
	data, given := b.Value("data")
	switch m, isObject := data.(map[string]any); {
	case !given && v == subscribersV2:
		f.Given["data"] = true // `body.data || {}`
	case !given:
	case !isObject && v == subscribersV2:
		b.Add(validate.IsObject("data"))
	case isObject:
		f.Values.Data = store.ObjectOf(m)
		f.Given["data"] = true
	}
	return id, f, b.err()
}

// subscriberTextChecks are the text fields with a rule beyond being a
// string: each gives its message and whether a value keeps the rule.
var subscriberTextChecks = map[string]func(string) (string, bool){
	"email":    func(s string) (string, bool) { return validate.IsEmail("email"), validate.Email(s) },
	"locale":   func(s string) (string, bool) { return validate.IsLocale("locale"), validate.Locale(s) },
	"timezone": func(s string) (string, bool) { return validate.IsTimeZone("timezone"), validate.TimeZone(s) },
}

// createSubscriber answers POST /v1/subscribers and POST /v2/subscribers
// (with failIfExists=true, an existing subscriber is v2's 409).
func (s *Handler) createSubscriber(v subscriberVersion) handler {
	return func(req *request) (answer, error) {
		body, err := req.object()
		if err != nil {
			return answer{}, err
		}
		id, fields, err := parseSubscriber(body, v)
		if err != nil {
			return answer{}, err
		}
		failIfExists := v == subscribersV2 && req.URL.Query().Get("failIfExists") == "true"
		sub, _, err := s.store.SaveSubscriber(req.principal.caller, id, fields, failIfExists)
		if err != nil {
			return answer{}, err
		}
		return data(http.StatusCreated, toSubscriberDTO(sub))
	}
}

// subscriberParam is the {subscriberId} of a path: an id is often an email
// address, whose "@" a client may send escaped.
func (req *request) subscriberParam() string { return req.param("subscriberId") }

// getSubscriber answers GET /v1/subscribers/{subscriberId} and
// /v2/subscribers/{subscriberId}, with each version's 404 text.
func (s *Handler) getSubscriber(v subscriberVersion) handler {
	return func(req *request) (answer, error) {
		id := req.subscriberParam()
		sub, ok := s.store.Subscriber(req.principal.caller, id)
		switch {
		case !ok && v == subscribersV2:
			return answer{}, errs.Errorf(errs.NotFound, "Subscriber: %s was not found", id)
		case !ok:
			return answer{}, errs.Errorf(errs.NotFound, "Subscriber '%s' was not found", id)
		}
		return data(http.StatusOK, toSubscriberDTO(sub))
	}
}

// deleteSubscriber answers DELETE /v1/subscribers/{subscriberId} and
// /v2/subscribers/{subscriberId}: the subscriber goes, its connections and
// endpoints stay (store.DeleteSubscriber words an unknown one).
func (s *Handler) deleteSubscriber(req *request) (answer, error) {
	if err := s.store.DeleteSubscriber(req.principal.caller, req.subscriberParam()); err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, subscriberRemoved{Acknowledged: true, Status: "deleted"})
}
