package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/faults"
	"github.com/novumock/novumock/internal/journal"
	"github.com/novumock/novumock/internal/validate"
)

// The journal keeps, for every /v1 request: method, path, status, the
// environment, the digest of the API key it was sent with, how long it
// took, and the bodies sent and answered by reference (the request's body
// as readBody read it, the answer's as send wrote it), up to maxKeptBody
// bytes each. It is bounded in entries
// (--journal-size) and in bytes (journalBytes). Secrets are taken out when
// an entry is shown or matched, not when it is kept, so a request pays
// nothing for it; showing streams entry by entry, so a full journal costs
// one entry's bytes at a time (journal.AppendShown).

const (
	// maxKeptBody bounds each body an entry keeps.
	maxKeptBody = 16 << 10
	// maxKeptPath bounds the path an entry keeps (the query included).
	maxKeptPath = 1024
	// journalBytes bounds the whole journal.
	journalBytes = 32 << 20
)

// journalEntry is the journal's record of an answered request. Bodies are
// kept by reference: neither is changed after it is read or answered.
func (s *Handler) journalEntry(req *request, a *answer, uri string, took time.Duration) journal.Entry {
	e := journal.Entry{
		Time:          s.now(),
		Method:        req.Method,
		Path:          uri,
		Status:        a.status,
		EnvironmentID: req.principal.caller.EnvironmentID,
		KeyDigest:     journal.DigestOf(sentAPIKey(req.Request)),
		Duration:      took,
		ResponseNote:  a.note,
	}
	switch {
	case len(a.body) <= maxKeptBody:
		e.Response = a.body
	case a.note == "":
		e.ResponseNote = limitNote(len(a.body))
	}
	if len(req.body) <= maxKeptBody {
		e.Request = req.body
		if isForm(header(req.Request, "Content-Type")) {
			// A form is kept as the JSON its fields decode to, so that it
			// is redacted and matched like any body.
			if m, err := parseForm(string(req.body)); err == nil {
				e.Request, _ = json.Marshal(m)
			}
		}
	} else {
		e.RequestNote = limitNote(len(req.body))
	}
	if req.principal.scheme == schemeBearer && len(e.Response) > 0 && a.status < 300 {
		// A dashboard answer holds credentials in every form; the journal
		// is readable without them.
		e.Response, e.ResponseNote = nil, "(a dashboard answer: it holds credentials, not kept)"
	}
	return e
}

// sentAPIKey is the API key a request was sent with, accepted or not: a
// test may look for the requests its app sent with a wrong key too.
func sentAPIKey(r *http.Request) string {
	scheme, key, _ := strings.Cut(header(r, "Authorization"), " ")
	if scheme != schemeAPIKey {
		return ""
	}
	return strings.TrimSpace(key)
}

// journalDTO is an entry as the control plane shows it.
type journalDTO struct {
	ID            uint64  `json:"id"`
	Time          string  `json:"time"`
	Method        string  `json:"method"`
	Path          string  `json:"path"`
	Status        int     `json:"status"`
	EnvironmentID string  `json:"environmentId,omitempty"`
	DurationMs    float64 `json:"durationMs"`
	// Body and Response are the JSON sent and answered, secrets redacted
	// (json.RawMessage); a string when the body was not JSON or not kept.
	// Absent when empty.
	Body     any `json:"body,omitempty"`
	Response any `json:"response,omitempty"`
}

// entryWriter streams journal entries as a JSON array, one at a time, so
// that an answer of the whole journal costs one entry's bytes in memory
// however large the journal, and so that no lock is held while a slow
// client reads.
type entryWriter struct {
	w    io.Writer
	buf  bytes.Buffer
	enc  *json.Encoder
	body []byte // the shown request body, reused
	resp []byte // the shown answer, reused
	n    int
	err  error
}

// entries answers 200 with head, the entries each yields as an array,
// then tail(n), n the number of entries written. The answer is chunked: it
// has no Content-Length, which it cannot know before the end.
func entries(head string, tail func(n int) string, each func(func(journal.Entry) bool)) answer {
	return streamed(contentTypeJSON, "(journal entries, not kept)", func(w io.Writer) error {
		ew := &entryWriter{w: w}
		ew.enc = json.NewEncoder(&ew.buf)
		ew.buf.WriteString(head + "[")
		each(ew.write)
		ew.buf.WriteString("]" + tail(ew.n) + "\n")
		ew.flush()
		return ew.err
	})
}

// countTail ends an answer of matches with their count.
func countTail(n int) string { return `,"count":` + strconv.Itoa(n) + `}}` }

// write adds one entry; it reports false once the client is gone.
func (ew *entryWriter) write(e journal.Entry) bool {
	if ew.n > 0 {
		ew.buf.WriteByte(',')
	}
	var body, resp any
	ew.body, body = shownBody(ew.body[:0], e.Request, e.RequestNote)
	ew.resp, resp = shownBody(ew.resp[:0], e.Response, e.ResponseNote)
	dto := journalDTO{
		ID: e.ID, Time: formatTime(e.Time), Method: e.Method, Path: e.Path, Status: e.Status,
		EnvironmentID: e.EnvironmentID, DurationMs: float64(e.Duration.Microseconds()) / 1000,
		Body: body, Response: resp,
	}
	if err := ew.enc.Encode(dto); err != nil { // cannot fail: every field encodes
		ew.err = err
		return false
	}
	ew.buf.Truncate(ew.buf.Len() - 1) // the Encoder's newline
	ew.n++
	if ew.buf.Len() >= 32<<10 {
		ew.flush()
	}
	return ew.err == nil
}

func (ew *entryWriter) flush() {
	if ew.err == nil {
		_, ew.err = ew.w.Write(ew.buf.Bytes())
	}
	ew.buf.Reset()
}

// shownBody is a kept body as the journal shows it, appended to dst: the
// JSON with every secret redacted (a json.RawMessage), or a note.
func shownBody(dst, raw []byte, note string) ([]byte, any) {
	if len(bytes.TrimSpace(raw)) == 0 {
		if note != "" {
			return dst, note
		}
		return dst, nil
	}
	dst, ok := journal.AppendShown(dst, raw)
	if !ok {
		return dst, "(not JSON, not shown)"
	}
	return dst, json.RawMessage(dst)
}

// listRequests lists the recorded API requests, oldest first, filtered by
// the method, path (prefix), environmentId and after (an entry id: only
// newer ones) query parameters.
func (s *Handler) listRequests(req *request) (answer, error) {
	q := req.URL.Query()
	f := journal.Query{Method: q.Get("method"), PathPrefix: q.Get("path"), EnvironmentID: q.Get("environmentId")}
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseUint(a, 10, 64)
		if err != nil {
			return answer{}, paramError("after", a, "after must be a whole number (an entry id)")
		}
		f.After = n
	}
	return entries(`{"data":`, func(int) string { return `}` }, func(yield func(journal.Entry) bool) { s.journal.Scan(f, yield) }), nil
}

// Request verification: find, count and wait for journaled requests, as
// WireMock's and MockServer's users expect ("exactly one POST
// /v1/integrations with providerId sendgrid arrived"; "wait until it
// does"). The matching is journal.Query's; these handlers decode, check
// and answer.

// Bounds of a verification request.
const (
	defaultWaitMs  = 5_000
	maxWaitMs      = 30_000
	maxWaitCount   = 10_000
	maxMatchParams = 32
)

// requestMatch is the body of POST /_mock/requests/find and …/count.
type requestMatch struct {
	Method        string            `json:"method"`
	Path          string            `json:"path"`
	PathPattern   string            `json:"pathPattern"`
	Query         map[string]string `json:"query"`
	APIKey        string            `json:"apiKey"`
	EnvironmentID string            `json:"environmentId"`
	Body          json.RawMessage   `json:"body"`
	After         uint64            `json:"after"`
}

// requestWait is the body of POST /_mock/requests/wait.
type requestWait struct {
	requestMatch
	// Count is how many matches to wait for (default 1).
	Count int `json:"count"`
	// TimeoutMs bounds the wait (default defaultWaitMs).
	TimeoutMs int `json:"timeoutMs"`
}

// query checks a match in class-validator's words and makes it a query.
func (m requestMatch) query() (journal.Query, []string) {
	var msgs []string
	if msg := faults.CheckMethod(m.Method); msg != "" {
		msgs = append(msgs, msg)
	}
	switch {
	case m.Path != "" && m.PathPattern != "":
		msgs = append(msgs, "path and pathPattern cannot go together: path is exact, pathPattern a pattern")
	case m.Path != "" && !strings.HasPrefix(m.Path, "/"):
		msgs = append(msgs, "path must start with /, e.g. /v1/integrations")
	case m.PathPattern != "" && !strings.HasPrefix(m.PathPattern, "/"):
		msgs = append(msgs, "pathPattern must start with /, e.g. /v1/integrations/*")
	case m.PathPattern != "" && !journal.ValidPattern(m.PathPattern):
		msgs = append(msgs, "pathPattern is not a valid pattern (path.Match: * is one segment)")
	}
	if len(m.Path) > maxKeptPath || len(m.PathPattern) > maxKeptPath {
		msgs = append(msgs, validate.MaxLength("path", maxKeptPath))
	}
	if len(m.Query) > maxMatchParams {
		msgs = append(msgs, fmt.Sprintf("query must have at most %d parameters", maxMatchParams))
	}
	if m.EnvironmentID != "" && !validate.ObjectID(m.EnvironmentID) {
		msgs = append(msgs, validate.IsMongoID("environmentId"))
	}
	q := journal.Query{Method: m.Method, Path: m.Path, PathPattern: m.PathPattern, Params: m.Query, APIKey: m.APIKey,
		EnvironmentID: validate.NormalizeID(m.EnvironmentID), After: m.After}
	if len(m.Body) > 0 && string(m.Body) != "null" {
		dec := json.NewDecoder(bytes.NewReader(m.Body))
		dec.UseNumber()
		if err := dec.Decode(&q.Body); err != nil { // cannot fail: req.strict read it
			msgs = append(msgs, "body must be a JSON value")
		}
	}
	return q, msgs
}

// decodeMatch reads a verification body into v, whose match is m:
// strictly (an unknown field is a 400 naming it, as on every control
// route), then by its rules (422).
func decodeMatch(req *request, v any, m *requestMatch) (journal.Query, error) {
	if err := req.strict(v); err != nil {
		return journal.Query{}, err
	}
	q, msgs := m.query()
	if len(msgs) > 0 {
		return q, validationError(msgs)
	}
	return q, nil
}

// findRequests answers the journaled requests a match selects,
// oldest first, with their count: {"requests": […], "count": n}.
func (s *Handler) findRequests(req *request) (answer, error) {
	var m requestMatch
	q, err := decodeMatch(req, &m, &m)
	if err != nil {
		return answer{}, err
	}
	return entries(`{"data":{"requests":`, countTail, func(yield func(journal.Entry) bool) { s.journal.Scan(q, yield) }), nil
}

type requestCount struct {
	Count int `json:"count"`
}

// countRequests answers how many journaled requests a match selects.
func (s *Handler) countRequests(req *request) (answer, error) {
	var m requestMatch
	q, err := decodeMatch(req, &m, &m)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, requestCount{Count: s.journal.Count(q)})
}

// waitForRequests waits until count journaled requests match (those
// there already count), or timeoutMs passes: a long poll. It answers 200
// either way, {"matched": bool, "requests": […], "count": n}, so that a
// test's failure can say what did arrive; not 408, which means the client
// was slow to send its request, and which HTTP clients retry. It ends at
// once, with a 503, when the server begins to shut down, as injected
// delays do. It never polls: the journal wakes it when a request is added.
func (s *Handler) waitForRequests(req *request) (answer, error) {
	var m requestWait
	q, err := decodeMatch(req, &m, &m.requestMatch)
	if err != nil {
		return answer{}, err
	}
	var msgs []string
	if m.Count < 0 || m.Count > maxWaitCount {
		msgs = append(msgs, fmt.Sprintf("count must be from 1 to %d (0: the default, 1)", maxWaitCount))
	}
	if m.TimeoutMs < 0 || m.TimeoutMs > maxWaitMs {
		msgs = append(msgs, fmt.Sprintf("timeoutMs must be from 1 to %d (0: the default, %d)", maxWaitMs, defaultWaitMs))
	}
	if len(msgs) > 0 {
		return answer{}, validationError(msgs)
	}
	timeout := time.Duration(cmp.Or(m.TimeoutMs, defaultWaitMs)) * time.Millisecond
	var matched bool
	s.holdOpen(req, timeout, func() bool {
		ctx, cancel := context.WithTimeout(req.Context(), timeout)
		defer cancel()
		go func() {
			select {
			case <-s.stopping:
				cancel()
			case <-ctx.Done():
			}
		}()
		_, matched = s.journal.Wait(ctx, q, max(m.Count, 1))
		return false // the deadline is moved back to an answer's: the wait is over
	})
	switch {
	case clientGone(req):
		return answer{status: statusClientClosed}, nil // nobody to answer
	case !matched && isClosed(s.stopping):
		return answer{}, errs.New(errs.Unavailable, "Shutting down: the wait ended before its requests arrived")
	}
	return entries(fmt.Sprintf(`{"data":{"matched":%t,"requests":`, matched), countTail,
		func(yield func(journal.Entry) bool) { s.journal.Scan(q, yield) }), nil
}

// clientGone reports whether the client gave up on the request.
func clientGone(req *request) bool { return req.Context().Err() != nil }

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
