package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

const contentTypeJSON = "application/json; charset=utf-8"

// contentTypeHeader is shared by every answer: net/http only reads it.
var contentTypeHeader = []string{contentTypeJSON}

// envelope is Novu's success body. It must keep "data" as its only key: the
// official SDK unwraps data only when it stands alone.
type envelope struct {
	Data any `json:"data"`
}

// writeJSON encodes v fully before writing anything, so an encoding failure
// can still become a clean 500 instead of half a body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"statusCode":500,"message":"Internal server error, contact support and provide them with the errorId"}` + "\n")
	}
	writeBytes(w, status, buf.Bytes())
}

// encodeJSON is the one JSON encoding of every answer.
func encodeJSON(buf *bytes.Buffer, v any) error { return json.NewEncoder(buf).Encode(v) }

// writeData answers a success with v inside the data envelope.
func writeData(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, envelope{Data: v})
}

// writeBytes answers with a JSON body. Content-Length lets net/http send
// the body in one piece instead of chunks.
func writeBytes(w http.ResponseWriter, status int, b []byte) {
	writeBody(w, status, b, []string{strconv.Itoa(len(b))})
}

// writeBody is writeBytes with the Content-Length header value made
// beforehand (net/http only reads it), for bodies answered many times.
func writeBody(w http.ResponseWriter, status int, b []byte, contentLength []string) {
	h := w.Header()
	h["Content-Type"] = contentTypeHeader
	h["Content-Length"] = contentLength
	w.WriteHeader(status)
	_, _ = w.Write(b) // a client that hung up is not our error
}

// timeLayout is Novu's time format: ISO 8601 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
