package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/validate"
)

// What a handler reads of its request: the body (read by serve) decoded
// one of two ways, and path parameters checked at the edge.

// object decodes the request's body as one JSON object, as Novu's body
// parser does. An absent or empty body is an empty object. Anything else
// that is not one JSON object, or nests deeper than validate.MaxDepth, is a
// 400 naming the problem. Numbers are kept as json.Number so credentials
// round-trip exactly. A form body (application/x-www-form-urlencoded) is
// read as Novu's extended form parser reads it (form.go).
func (req *request) object() (map[string]any, error) {
	raw := req.body
	if isForm(header(req.Request, "Content-Type")) {
		return parseForm(string(raw))
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	if err := validate.Depth(raw); err != nil {
		return nil, errs.New(errs.Invalid, "Body is not valid: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errs.New(errs.Invalid, "Body is not valid JSON: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.New(errs.Invalid, "Body is not valid JSON: unexpected data after the top-level value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errs.New(errs.Invalid, "Body must be a JSON object")
	}
	return obj, nil
}

// strict decodes a control-plane body into v, refusing unknown fields so
// that a typo ("delay" for "delayMs") is an error, not a silent no-op. An
// empty body leaves v as it is.
func (req *request) strict(v any) error {
	raw := req.body
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := validate.Depth(raw); err != nil {
		return errs.New(errs.Invalid, "Body is not valid: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return validationError([]string{typeErr.Field + " has the wrong type: got " + typeErr.Value})
		}
		return errs.New(errs.Invalid, "Body is not valid: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.New(errs.Invalid, "Body is not valid: unexpected data after the JSON value")
	}
	return nil
}

// param returns a path parameter, percent-decoded once, as Express decodes
// it (the router matches the escaped path: see routeEscaped).
func (req *request) param(name string) string {
	v := chi.URLParam(req.Request, name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// integrationID returns the {integrationId} path parameter: anything but
// an ObjectId is Novu's 422.
func (req *request) integrationID() (string, error) {
	id := req.param("integrationId")
	if !validate.ObjectID(id) {
		return "", paramError("integrationId", id, validate.IsMongoID("integrationId"))
	}
	return validate.NormalizeID(id), nil
}

// integrationIdentifier returns the {integrationIdentifier} of the routes
// that name an integration by identifier; chi calls that segment
// integrationId, as the routes beside them do.
func (req *request) integrationIdentifier() string { return req.param("integrationId") }

// header returns a request header's first value by its canonical name,
// without canonicalising it again (Header.Get would, on every call): the
// names the hot path reads are constants in canonical form.
func header(r *http.Request, canonical string) string {
	if v := r.Header[canonical]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// truncate shortens s to n bytes, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// limitNote describes a body the journal does not keep.
func limitNote(n int) string { return "(" + strconv.Itoa(n) + " bytes, not kept)" }
