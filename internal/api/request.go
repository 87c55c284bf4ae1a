package api

import (
	"net/http"
)

// request is what the middlewares learn about a request on its way down the
// chain: who calls, and the id in its path. It travels inside the response
// writer that the top middleware makes anyway, so no layer copies the
// request (or allocates a context) to add to it, and the journal and log at
// the top can read what authentication found below.
type request struct {
	principal     principal
	integrationID string
}

// respWriter records the status answered and carries the request's state.
type respWriter struct {
	http.ResponseWriter
	status int
	state  request
}

func (w *respWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *respWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *respWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// stateOf returns the request's state. A writer that did not come from the
// top middleware (never, through routes) gets a throwaway one.
func stateOf(w http.ResponseWriter) *request {
	if rw, ok := w.(*respWriter); ok {
		return &rw.state
	}
	return &request{}
}

func principalOf(w http.ResponseWriter) principal { return stateOf(w).principal }

func integrationIDOf(w http.ResponseWriter) string { return stateOf(w).integrationID }
