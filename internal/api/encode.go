package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

const contentTypeJSON = "application/json; charset=utf-8"

// envelope is Novu's success body. It must keep "data" as its only key: the
// official SDK unwraps data only when it stands alone.
type envelope struct {
	Data any `json:"data"`
}

// writeJSON encodes v fully before writing anything, so an encoding failure
// can still become a clean 500 instead of half a body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"statusCode":500,"message":"Internal server error, contact support and provide them with the errorId"}` + "\n")
	}
	writeBytes(w, status, buf.Bytes())
}

// writeData answers a success with v inside the data envelope.
func writeData(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, envelope{Data: v})
}

func writeBytes(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	_, _ = w.Write(b) // a client that hung up is not our error
}

// timeLayout is Novu's time format: ISO 8601 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
