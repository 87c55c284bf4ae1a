package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/store"
)

// Lists are the mock's biggest answers and the ones test suites poll, so
// they have two paths. A small list (most: an environment of tens of
// records) is encoded at once and, for API-key callers, kept by
// environment and version in the list cache (internal/listcache), so an
// unchanged list is answered with the same bytes. A large list is streamed, record by record, and only
// so many bytes of large lists are in flight at once (bigAnswers): a
// hundred clients asking for a large list and reading nothing cannot make
// the mock hold a hundred copies.

const (
	// smallList is the largest list (estimated bytes) encoded at once.
	smallList = 256 << 10
	// bigAnswerBudget is how many bytes of large lists may be in flight.
	bigAnswerBudget = 64 << 20
	// bigAnswerWait is how long a large list waits for room before the
	// client is told to retry.
	bigAnswerWait = 10 * time.Second
)

// listSource says which list a request wants.
type listSource struct {
	orgID, envID string // envID "" means the whole organization
	activeOnly   bool
	deleted      bool // the environment's soft-deleted records
}

// cacheKey names the list in the list cache.
func (src listSource) cacheKey() string {
	if src.activeOnly {
		return "integrations/active"
	}
	return "integrations"
}

func (src listSource) size(st *store.Store) int64 {
	if src.deleted {
		return st.DeletedSize(src.envID)
	}
	return st.ListSize(src.orgID, src.envID, src.activeOnly)
}

func (src listSource) records(st *store.Store) []store.Integration {
	if src.deleted {
		return st.Deleted(src.envID)
	}
	return st.List(src.orgID, src.envID, src.activeOnly)
}

// list answers {"data": [...]} with the records of src as v shows them.
func (s *Handler) list(req *request, src listSource, v view) (answer, error) {
	cacheable := !v.reveal && src.envID != "" && !src.deleted
	if cacheable {
		if body, length, ok := s.lists.Get(src.envID, src.cacheKey(), s.store.Version(src.envID)); ok {
			return cached(body, length), nil
		}
	}
	size := src.size(s.store)
	if size > smallList {
		return s.streamList(req, src, v, size)
	}
	var list []store.Integration
	var version uint64
	if cacheable {
		list, version = s.store.ListVersion(src.orgID, src.envID, src.activeOnly)
	} else {
		list = src.records(s.store)
	}
	a, err := data(http.StatusOK, v.list(list))
	if err == nil && cacheable {
		s.lists.Put(src.envID, src.cacheKey(), version, a.body)
	}
	return a, err
}

// streamList answers a large list record by record, once its estimated
// size fits in the budget of large answers in flight.
func (s *Handler) streamList(req *request, src listSource, v view, size int64) (answer, error) {
	size = min(size, bigAnswerBudget) // one larger than the budget takes all of it
	ctx, cancel := context.WithTimeout(req.Context(), bigAnswerWait)
	defer cancel()
	if err := s.bigAnswers.Acquire(ctx, size); err != nil {
		return answer{}, errs.New(errs.Unavailable, "Service Unavailable: the mock is sending other large lists; retry in a moment")
	}
	list := src.records(s.store)
	return streamed(contentTypeJSON, "(a large list, not kept)", func(w io.Writer) error {
		defer s.bigAnswers.Release(size)
		if _, err := io.WriteString(w, `{"data":[`); err != nil {
			return err
		}
		for i := range list {
			raw, err := json.Marshal(v.toDTO(list[i]))
			if err != nil {
				return err
			}
			if i > 0 {
				raw = append([]byte{','}, raw...)
			}
			if _, err := w.Write(raw); err != nil {
				return err // the client left or the write deadline passed
			}
			list[i] = store.Integration{} // what was sent need not stay alive
		}
		_, err := io.WriteString(w, "]}\n")
		return err
	}), nil
}

// cachedPage answers a page of channel connections or endpoints through the
// list cache: the same query of an unchanged environment gets the same
// bytes (a test suite polls its page as it polls its list). The version is
// read before the page, so a change made meanwhile is never kept as
// current. Every caller of an environment sees the same page: these
// answers hold no secret that a dashboard sees and an API key does not.
func (s *Handler) cachedPage(req *request, kind string, build func() (answer, error)) (answer, error) {
	env := req.principal.caller.EnvironmentID
	what := kind
	if q := req.URL.RawQuery; q != "" {
		what += "?" + q
	}
	version := s.store.Version(env)
	if body, length, ok := s.lists.Get(env, what, version); ok {
		return cached(body, length), nil
	}
	a, err := build()
	if err == nil && a.status == http.StatusOK {
		s.lists.Put(env, what, version, a.body)
	}
	return a, err
}
