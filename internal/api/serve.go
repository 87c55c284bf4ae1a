package api

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/faults"
	"github.com/novumock/novumock/internal/idempotency"
	"github.com/novumock/novumock/internal/validate"
)

// serve is the one adapter between net/http and the mock's handlers. For
// each request it learns what the route needs before its handler runs, in
// one order (the body, read once; who calls; for Novu's API, the
// Idempotency-Key and the injected faults, as Novu's interceptor runs after
// its guards; the environment the caller acts in), then runs the handler,
// writes the answer it returns (send) and records it (the journal, the
// log). Nothing else writes an answer, and nothing changes a request's
// facts once its handler runs.

// handler is a route's handler: it returns its answer or an error (see
// errs), which serve words as Novu does.
type handler func(req *request) (answer, error)

// request is a request as a handler gets it: the HTTP request and what the
// edge learned of it first, each set once by serve.
type request struct {
	*http.Request
	// body is the request's body, read whole (nil: none, or a route that
	// reads none).
	body []byte
	// principal is the caller, on Novu's routes.
	principal principal
	// w is the answer's writer, for holdOpen alone: handlers return their
	// answer, serve writes it.
	w http.ResponseWriter
}

// access says who may call a route.
type access int

const (
	// anyone: probes, the OpenAPI document, the inspector's page, the
	// consent page (whose state in the URL is its key).
	anyone access = iota
	// novuCaller: Novu's routes an API key may call (Novu's
	// @ExternalApiAccessible) and dashboard sessions.
	novuCaller
	// dashboardOnly: Novu's routes a session may call, an API key not.
	dashboardOnly
	// controller: the control plane, behind the control token if set.
	controller
)

// route is what serve does for a route before its handler runs.
type route struct {
	access access
	// body is the most body bytes read before the handler runs; 0 reads
	// none (a route that takes none, or streams its own).
	body int64
	// env refuses a dashboard caller that names no environment, on routes
	// that act in one.
	env bool
}

// The size of request bodies the mock reads: Novu's own limit for its API;
// the control plane's small bodies.
const (
	apiBodyLimit     = validate.MaxBodyBytes
	controlBodyLimit = 64 << 10
)

// The routes' kinds, as routes.go declares them.
var (
	novuRoute      = route{access: novuCaller, body: apiBodyLimit}
	novuEnvRoute   = route{access: novuCaller, body: apiBodyLimit, env: true}
	dashboardRoute = route{access: dashboardOnly, body: apiBodyLimit}
	dashboardEnv   = route{access: dashboardOnly, body: apiBodyLimit, env: true}
	controlRoute   = route{access: controller, body: controlBodyLimit}
	openRoute      = route{access: anyone}
	formRoute      = route{access: anyone, body: controlBodyLimit}
	// publicRoute is Novu's routes without a caller (Telegram's inbound
	// webhook): its body limit, no Idempotency-Key or faults.
	publicRoute = route{access: anyone, body: apiBodyLimit}
)

// statusClientClosed is what the journal and the log record for a request
// the client gave up on before any answer (nginx's 499); nothing is sent.
const statusClientClosed = 499

// serve adapts a handler to net/http under a route's rules.
func (s *Handler) serve(rt route, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		req := &request{Request: r, w: w}
		a := s.run(rt, req, h)
		defer s.record(req, &a, start) // even when a stream is cut (send panics)
		if a.status != statusClientClosed {
			send(w, a)
		}
	}
}

// refuse answers a request refused before any route (the Host check, a
// foreign origin, a preflight), recorded as every answer is.
func (s *Handler) refuse(w http.ResponseWriter, r *http.Request, err error) {
	s.serve(openRoute, func(*request) (answer, error) { return answer{}, err })(w, r)
}

// run learns what the route needs, then runs the handler; any failure,
// panics included, becomes the answer Novu would give.
func (s *Handler) run(rt route, req *request, h handler) (a answer) {
	defer func() {
		if v := recover(); v != nil {
			a = s.errorAnswer(req.Request, fmt.Errorf("panic: %v", v))
			if f, ok := v.(injectedPanic); ok {
				a = a.with(headerFault, string(f))
			}
		}
	}()
	if rt.access == controller {
		if err := s.checkControlToken(req.Request); err != nil {
			return s.errorAnswer(req.Request, err)
		}
	}
	if rt.body > 0 {
		if err := readBody(req, rt.body); err != nil {
			return s.errorAnswer(req.Request, err).with("Connection", "close") // the body is not read to its end
		}
	}
	if rt.access != novuCaller && rt.access != dashboardOnly {
		return s.call(rt, req, h)
	}
	p, err := s.principal(req.Request, rt.access == dashboardOnly)
	if err != nil {
		return s.errorAnswer(req.Request, err)
	}
	req.principal = p
	return s.idempotent(req, func() answer { return s.withFaults(rt, req, h) })
}

// call runs the handler, once the caller acts in an environment where the
// route needs one.
func (s *Handler) call(rt route, req *request, h handler) answer {
	if rt.env {
		if err := requireEnvironment(req.principal); err != nil {
			return s.errorAnswer(req.Request, err)
		}
	}
	a, err := h(req)
	if err != nil {
		return s.errorAnswer(req.Request, err)
	}
	return a
}

// readBody reads the whole body within limit bytes and the server's read
// deadline. A body announced larger than the limit is refused at once,
// unread (413); one that turns out larger is 413 too; one that does not
// arrive in time is 408.
func readBody(req *request, limit int64) error {
	r := req.Request
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	if r.ContentLength > limit {
		return errTooLarge
	}
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		return bodyError(err)
	}
	req.body = raw
	return nil
}

// errTooLarge is Nest's PayloadTooLargeException, the one answer to a body
// over the limit (made without a message: bare).
var errTooLarge = &errs.Error{Code: errs.TooLarge}

// bodyError says why a body could not be read.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return errs.New(errs.Timeout, "Request Timeout: the request body did not arrive in time")
	}
	return errs.New(errs.Invalid, "Could not read the request body: "+err.Error())
}

// checkControlToken refuses a control-plane call without the control
// token, when one is set.
func (s *Handler) checkControlToken(r *http.Request) error {
	if s.controlToken == "" {
		return nil
	}
	scheme, token, _ := strings.Cut(header(r, "Authorization"), " ")
	if scheme != schemeBearer || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.controlToken)) != 1 {
		return errs.New(errs.Unauthorized,
			"The control plane needs the control token: send Authorization: Bearer <token> (the one given to --control-token)")
	}
	return nil
}

// The Idempotency-Key headers.
const (
	headerIdempotencyKey    = "Idempotency-Key"
	headerIdempotencyReplay = "Idempotency-Replay"
)

// idempotent is Novu's idempotency interceptor around run: on POST and
// PATCH, a key seen before replays the first answer (same body), is
// refused (another body, 422) or told to retry (the first still runs,
// 409). The key is echoed. Keys are scoped by who asked (see idemScope).
func (s *Handler) idempotent(req *request, run func() answer) (a answer) {
	if req.Method != http.MethodPost && req.Method != http.MethodPatch {
		return run()
	}
	key := header(req.Request, headerIdempotencyKey)
	if key == "" {
		return run()
	}
	if len(key) > idempotency.MaxKey {
		return s.errorAnswer(req.Request, errs.Errorf(errs.Invalid,
			"idempotencyKey %q has exceeded the maximum allowed length of 255 characters", key))
	}
	hash := idempotency.BodyHash(req.body)
	first, isNew := s.idem.Begin(idemScope(req.principal)+key, hash, s.now())
	switch {
	case !isNew && !first.Done:
		return s.errorAnswer(req.Request, errs.Errorf(errs.Conflict,
			"Request with key %q is currently being processed. Please retry after 1 second", key)).
			with("Retry-After", "1").with("Link", idempotency.Docs).with(headerIdempotencyKey, key)
	case !isNew && first.BodyHash != hash:
		return s.errorAnswer(req.Request, errs.Errorf(errs.Unprocessable,
			"Request with key %q is being reused for a different body", key)).
			with("Link", idempotency.Docs).with(headerIdempotencyKey, key)
	case !isNew:
		replay := answer{status: first.Status, header: first.Header.Clone(), body: first.Body}
		return replay.with(headerIdempotencyKey, key).with(headerIdempotencyReplay, "true")
	}
	defer func() {
		if v := recover(); v != nil {
			s.idem.Forget(first) // nothing to replay: the key is free again
			panic(v)
		}
		if a.stream != nil || a.status == statusClientClosed || len(a.body) > idempotency.MaxAnswer {
			s.idem.Forget(first)
			return
		}
		s.idem.Finish(first, a.status, headerOf(a), a.body, s.now())
	}()
	return run().with(headerIdempotencyKey, key)
}

// headerOf is every header an answer sets, for a replay.
func headerOf(a answer) http.Header {
	h := a.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if a.contentType != "" {
		h.Set("Content-Type", a.contentType)
	}
	return h
}

// idemScope is the part of a cache key that says who asked: the
// organization (Novu's scope), how the caller authenticated (an API key
// sees no credentials, a session does) and the environment it acts in
// (none for an organization-wide session). Two callers share answers only
// when they would see the same thing.
func idemScope(p principal) string {
	return p.caller.OrganizationID + "\x00" + p.scheme + "\x00" + p.caller.EnvironmentID + "\x00"
}

// headerFault names the fault behind an injected answer, so nobody
// mistakes it for a bug of the mock.
const headerFault = "X-Novu-Mock-Fault"

// injectedPanic is the panic of a fault that makes a route fail as an
// unexpected error does (its value is the fault's id).
type injectedPanic string

func (p injectedPanic) String() string { return "injected by fault " + string(p) }

// withFaults applies the first matching fault before the route runs, once
// the caller is known: a delay, then an error, a panic or the route.
func (s *Handler) withFaults(rt route, req *request, h handler) answer {
	if !s.faults.Active() {
		return s.call(rt, req, h)
	}
	t := faults.Target{Method: req.Method, Path: strings.TrimSuffix(req.URL.Path, "/")}
	if t.Path == "" {
		t.Path = "/"
	}
	if s.faults.Scoped() {
		t.EnvironmentID, t.APIKey = req.principal.caller.EnvironmentID, sentAPIKey(req.Request) // "" for a session
	}
	f, ok := s.faults.Pick(t)
	if !ok {
		return s.call(rt, req, h)
	}
	if f.DelayMs > 0 {
		waited := s.holdOpen(req, f.Delay(), func() bool { return f.Wait(req.Context(), s.stopping) })
		if !waited {
			if clientGone(req) {
				return answer{status: statusClientClosed} // nobody is listening
			}
			return s.call(rt, req, h) // released: the fault is gone
		}
	}
	switch {
	case f.Panic:
		panic(injectedPanic(f.ID))
	case f.Status == 0:
		return s.call(rt, req, h)
	}
	msg := f.Message
	if msg == "" {
		msg = http.StatusText(f.Status)
	}
	return s.errorAnswer(req.Request, &errs.Error{Code: errs.Injected, Status: f.Status, Message: msg}).with(headerFault, f.ID)
}

// holdOpen runs a wait of up to d on purpose (an injected delay, a wait for
// requests) with the connection's deadlines moved, so that the wait does
// not trip them: the read deadline would cancel the request, the write
// deadline cut its answer. It returns what wait returns.
func (s *Handler) holdOpen(req *request, d time.Duration, wait func() bool) bool {
	rc := http.NewResponseController(req.w)
	_ = rc.SetReadDeadline(time.Time{}) // the body was read already; a test recorder cannot
	_ = rc.SetWriteDeadline(time.Now().Add(d + s.writeTimeout))
	done := wait()
	if !done {
		_ = rc.SetWriteDeadline(time.Now().Add(s.writeTimeout))
	}
	return done
}

// record writes the request's journal entry (Novu's API only) and its log
// line.
func (s *Handler) record(req *request, a *answer, start time.Time) {
	end := time.Now()
	took := end.Sub(start)
	uri := truncate(req.URL.RequestURI(), maxKeptPath)
	if novuPath(req.URL.Path) {
		s.journal.Add(s.journalEntry(req, a, uri, took))
	}
	s.logRequest(req, a, uri, end, took)
}
