package api

import (
	"net/http"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/faults"
)

// The control plane's fault routes: the engine is internal/faults; the
// API applies a fault before a route runs (withFaults, in serve.go).

func (s *Handler) listFaults(*request) (answer, error) { return data(http.StatusOK, s.faults.All()) }

func (s *Handler) addFault(req *request) (answer, error) {
	var f faults.Fault
	if err := req.strict(&f); err != nil {
		return answer{}, err
	}
	if msgs := f.Check(); len(msgs) > 0 {
		return answer{}, validationError(msgs)
	}
	added, err := s.faults.Add(f)
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusCreated, added)
}

func (s *Handler) clearFaults(*request) (answer, error) {
	return data(http.StatusOK, cleared{Cleared: s.faults.Clear()})
}

func (s *Handler) removeFault(req *request) (answer, error) {
	id := req.param("faultId")
	if !s.faults.Remove(id) {
		return answer{}, errs.New(errs.NotFound, "Fault with id "+truncate(id, 64)+" not found")
	}
	return data(http.StatusOK, cleared{Cleared: 1})
}
