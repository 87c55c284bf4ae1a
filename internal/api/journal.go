package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/novumock/novumock/internal/journal"
)

// The journal keeps, for every /v1 request: method, path, status, the
// environment, how long it took, and the bodies sent and answered by
// reference (see writeRaw, readBody), up to maxKeptBody bytes each. It is
// bounded in entries (--journal-size) and in bytes (journalBytes).
// Secrets are taken out when an entry is shown, not when it is kept, so a
// request pays nothing for it.

const (
	// maxKeptBody bounds each body an entry keeps.
	maxKeptBody = 16 << 10
	// maxKeptPath bounds the path an entry keeps (the query included).
	maxKeptPath = 1024
	// journalBytes bounds the whole journal.
	journalBytes = 32 << 20
)

// journalEntry is the journal's record of an answered request.
func (s *Server) journalEntry(r *http.Request, st *reqState, status int, took time.Duration) journal.Entry {
	e := journal.Entry{
		Time:          s.now(),
		Method:        r.Method,
		Path:          truncate(r.URL.RequestURI(), maxKeptPath),
		Status:        status,
		EnvironmentID: st.principal.caller.EnvironmentID,
		Duration:      took,
		Response:      st.answer,
		ResponseNote:  st.answerNote,
	}
	if len(st.body) <= maxKeptBody {
		e.Request = st.body
	} else {
		e.RequestNote = limitNote(len(st.body))
	}
	if st.principal.scheme == schemeBearer && len(e.Response) > 0 && status < 300 {
		// A dashboard answer holds credentials in every form; the journal
		// is readable without them.
		e.Response, e.ResponseNote = nil, "(a dashboard answer: it holds credentials, not kept)"
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// journalDTO is an entry as GET /_mock/requests shows it.
type journalDTO struct {
	ID            uint64  `json:"id"`
	Time          string  `json:"time"`
	Method        string  `json:"method"`
	Path          string  `json:"path"`
	Status        int     `json:"status"`
	EnvironmentID string  `json:"environmentId,omitempty"`
	DurationMs    float64 `json:"durationMs"`
	// Body and Response are the JSON sent and answered, secrets redacted;
	// a string when the body was not JSON or not kept. Absent when empty.
	Body     any `json:"body,omitempty"`
	Response any `json:"response,omitempty"`
}

func toJournalDTO(e journal.Entry) journalDTO {
	return journalDTO{
		ID: e.ID, Time: formatTime(e.Time), Method: e.Method, Path: e.Path, Status: e.Status,
		EnvironmentID: e.EnvironmentID, DurationMs: float64(e.Duration.Microseconds()) / 1000,
		Body: shownBody(e.Request, e.RequestNote), Response: shownBody(e.Response, e.ResponseNote),
	}
}

// shownBody is a kept body as the journal shows it: the JSON value with
// every secret redacted (see redactSecrets), or a note.
func shownBody(raw []byte, note string) any {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		if note != "" {
			return note
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "(not JSON, not shown)"
	}
	return redactSecrets(v)
}
