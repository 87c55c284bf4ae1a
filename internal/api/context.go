package api

import (
	"context"
	"net/http"
)

// reqState is what the middlewares learn about a request on its way down
// the chain and what the top of the chain needs back: who calls, the id in
// its path, its body, and the answer's body for the journal. The top
// middleware puts one in the request context; the rest fill it in.
type reqState struct {
	principal     principal
	integrationID string
	// body is the request body, read once by readBody (nil when none).
	body []byte
	// answer is the body written, kept for the journal when small (see
	// writeRaw); answerNote says why it was not kept otherwise.
	answer     []byte
	answerNote string
	// errMessage is the message of an error answer, for the debug log.
	errMessage string
}

// stateKey is the context key of a request's reqState.
type stateKey struct{}

// withState returns r carrying a new, empty state.
func withState(r *http.Request) (*http.Request, *reqState) {
	st := &reqState{}
	return r.WithContext(context.WithValue(r.Context(), stateKey{}, st)), st
}

// stateOf returns the request's state. A request that did not pass the top
// middleware gets an empty one: no principal, so no credentials are shown
// and no record is found (see view).
func stateOf(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{}
}

func principalOf(r *http.Request) principal { return stateOf(r).principal }
