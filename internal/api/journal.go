package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/novumock/novumock/internal/journal"
)

// maxJournalBody caps how much of a request body the journal keeps, so its
// memory stays bounded by its entry cap.
const maxJournalBody = 8 << 10

// captureBody keeps the first bytes of a body as it is read.
type captureBody struct {
	io.ReadCloser
	buf       bytes.Buffer
	truncated bool
}

func (c *captureBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if room := maxJournalBody - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(n, room)])
		c.truncated = c.truncated || n > room
	} else if n > 0 {
		c.truncated = true
	}
	return n, err
}

// journalEntry is the journal's record of an answered request.
func journalEntry(r *http.Request, at time.Time, uri string, status int, took time.Duration, envID string, body *captureBody) journal.Entry {
	e := journal.Entry{
		Time:          journal.Time(at),
		Method:        r.Method,
		Path:          uri,
		Status:        status,
		EnvironmentID: envID,
		DurationMs:    float64(took.Microseconds()) / 1000,
	}
	if body != nil {
		e.Body = journalBody(body)
	}
	return e
}

// journalBody is the body as the journal keeps it: a JSON object with every
// secret redacted. Anything else (not JSON, not an object, cut at the cap)
// is kept only as a note, since it could hold secrets in any shape.
func journalBody(c *captureBody) any {
	raw := bytes.TrimSpace(c.buf.Bytes())
	switch {
	case len(raw) == 0:
		return nil
	case c.truncated:
		return "(body over 8 KiB, not kept)"
	}
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || v == nil {
		return "(body is not a JSON object, not kept)"
	}
	return redactBody(v)
}

// statusClientClosed is what the journal and the log record for a request
// the client gave up on before any answer (nginx's 499).
const statusClientClosed = 499

// answeredStatus is the status a request was answered with, given what the
// handler wrote (0: nothing).
func answeredStatus(st int, r *http.Request) int {
	if st != 0 {
		return st
	}
	if r.Context().Err() != nil {
		return statusClientClosed
	}
	return http.StatusOK
}
