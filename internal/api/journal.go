package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/novumock/novumock/internal/journal"
)

// maxJournalBody caps how much of a request body the journal keeps, so its
// memory stays bounded by its entry cap.
const maxJournalBody = 8 << 10

// requestNote lets the authentication, deep in the route, tell the journal,
// at the edge, which environment a request ran in.
type requestNote struct{ environmentID string }

type requestNoteKey struct{}

func noteFrom(ctx context.Context) *requestNote {
	n, _ := ctx.Value(requestNoteKey{}).(*requestNote)
	return n
}

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

// recordRequests adds one journal entry per API request.
func (s *Server) recordRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		note := &requestNote{}
		var body *captureBody
		if r.Body != nil && r.Body != http.NoBody {
			body = &captureBody{ReadCloser: r.Body}
			r.Body = body
		}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), requestNoteKey{}, note)))
		e := journal.Entry{
			Time:          formatTime(s.now()),
			Method:        r.Method,
			Path:          r.URL.RequestURI(),
			Status:        answeredStatus(ww, r),
			EnvironmentID: note.environmentID,
			DurationMs:    float64(time.Since(start).Microseconds()) / 1000,
		}
		if body != nil {
			e.Body = journalBody(body)
		}
		s.journal.Add(e)
	})
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

// answeredStatus is the status a request was answered with.
func answeredStatus(ww middleware.WrapResponseWriter, r *http.Request) int {
	if st := ww.Status(); st != 0 {
		return st
	}
	if r.Context().Err() != nil {
		return statusClientClosed
	}
	return http.StatusOK
}
