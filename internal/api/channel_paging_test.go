package api_test

import (
	"fmt"
	"slices"
	"testing"
)

// pagingWorld has five connections c1..c5, made in that order, and an
// email integration's connection in between that filters leave out.
func pagingWorld(t *testing.T) *world {
	w := newWorld(t)
	w.subscribers(w.dev, "s", "s1", "s2", "s3", "s4", "s5")
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "sendgrid", "email", "mail", nil)
	for i := 1; i <= 5; i++ {
		w.connection(w.dev, map[string]any{"identifier": fmt.Sprintf("c%d", i), "integrationIdentifier": "slack-x", "subscriberId": fmt.Sprintf("s%d", i)})
		if i == 3 {
			w.connection(w.dev, map[string]any{"identifier": "other", "integrationIdentifier": "mail", "subscriberId": "s"})
		}
	}
	return w
}

// list gets a page of the slack connections.
func (w *world) list(t *testing.T, query string) page {
	t.Helper()
	return w.send("GET", "/v1/channel-connections?integrationIdentifier=slack-x&"+query, apiKey(w.dev), nil).want(t, 200, query).page(t)
}

func wantPage(t *testing.T, what string, p page, ids []string, hasNext, hasPrevious bool) {
	t.Helper()
	if got := p.ids(); !slices.Equal(got, ids) {
		t.Errorf("%s: page = %v, want %v", what, got, ids)
	}
	if (cursor(p.next) != "") != hasNext || (cursor(p.previous) != "") != hasPrevious {
		t.Errorf("%s: next = %v, previous = %v, want next %v, previous %v", what, p.next, p.previous, hasNext, hasPrevious)
	}
	if p.totalCount != 5 || p.totalCountCapped {
		t.Errorf("%s: totalCount = %d (capped %v), want 5 whatever the cursor", what, p.totalCount, p.totalCountCapped)
	}
}

func TestChannelPaging_ForwardAndBack(t *testing.T) {
	w := pagingWorld(t)
	p1 := w.list(t, "limit=2")
	wantPage(t, "first page", p1, []string{"c5", "c4"}, true, false)
	p2 := w.list(t, "limit=2&after="+cursor(p1.next))
	wantPage(t, "second page", p2, []string{"c3", "c2"}, true, true)
	p3 := w.list(t, "limit=2&after="+cursor(p2.next))
	wantPage(t, "last page", p3, []string{"c1"}, false, true)

	// Back from the last page: the records just before its first.
	b2 := w.list(t, "limit=2&before="+cursor(p3.previous))
	wantPage(t, "back one page", b2, []string{"c3", "c2"}, true, true)
	b1 := w.list(t, "limit=2&before="+cursor(b2.previous))
	wantPage(t, "back to the first page", b1, []string{"c5", "c4"}, true, false)
	if cursor(b2.next) != cursor(p2.next) || cursor(b2.previous) != cursor(p2.previous) {
		t.Errorf("the same page read backwards has other cursors: %v/%v, %v/%v", b2.next, b2.previous, p2.next, p2.previous)
	}
	// A page shorter than the limit before the start.
	short := w.list(t, "limit=3&before="+cursor(p2.previous))
	wantPage(t, "before the second page", short, []string{"c5", "c4"}, true, false)

	// The cursor record itself, in both directions.
	wantPage(t, "after, cursor included", w.list(t, "limit=2&includeCursor=true&after="+cursor(p1.next)), []string{"c4", "c3"}, true, true)
	wantPage(t, "before, cursor included", w.list(t, "limit=2&includeCursor=true&before="+cursor(p2.next)), []string{"c3", "c2"}, true, true)
	wantPage(t, "includeCursor other than true", w.list(t, "limit=2&includeCursor=1&after="+cursor(p1.next)), []string{"c3", "c2"}, true, true)

	// Oldest first.
	a1 := w.list(t, "limit=3&orderDirection=ASC")
	wantPage(t, "ascending", a1, []string{"c1", "c2", "c3"}, true, false)
	wantPage(t, "ascending, next page", w.list(t, "limit=3&orderDirection=ASC&after="+cursor(a1.next)), []string{"c4", "c5"}, false, true)
	wantPage(t, "everything on one page", w.list(t, "limit=100"), []string{"c5", "c4", "c3", "c2", "c1"}, false, false)
	wantPage(t, "default limit", w.list(t, ""), []string{"c5", "c4", "c3", "c2", "c1"}, false, false)
	wantPage(t, "after the last", w.list(t, "after="+cursor(p3.previous)), []string{}, false, false)
}

func TestChannelPaging_CursorOutsideFilter(t *testing.T) {
	w := pagingWorld(t)
	all := w.send("GET", "/v1/channel-connections?limit=100", apiKey(w.dev), nil).want(t, 200, "all").page(t)
	if !slices.Equal(all.ids(), []string{"c5", "c4", "other", "c3", "c2", "c1"}) || all.totalCount != 6 {
		t.Fatalf("all = %v", all.ids())
	}
	// "other" sits between c4 and c3; a page after it under a filter that
	// excludes it starts at c3, as Novu's cursor lookup ignores the filters.
	first := w.send("GET", "/v1/channel-connections?limit=3", apiKey(w.dev), nil).want(t, 200, "first three").page(t)
	if !slices.Equal(first.ids(), []string{"c5", "c4", "other"}) {
		t.Fatalf("first three = %v", first.ids())
	}
	wantPage(t, "after a record the filter excludes", w.list(t, "limit=2&after="+cursor(first.next)), []string{"c3", "c2"}, true, true)
	wantPage(t, "before a record the filter excludes", w.list(t, "limit=2&before="+cursor(first.next)), []string{"c5", "c4"}, true, false)
}

func TestChannelPaging_UpdatedAt(t *testing.T) {
	w := pagingWorld(t)
	w.send("PATCH", "/v1/channel-connections/c2", apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T9"},
		"auth": map[string]any{"accessToken": "new"}}).want(t, 200, "touch c2")
	wantPage(t, "by updatedAt", w.list(t, "orderBy=updatedAt&limit=2"), []string{"c2", "c5"}, true, false)
	wantPage(t, "by createdAt", w.list(t, "orderBy=createdAt&limit=2"), []string{"c5", "c4"}, true, false)
}

func TestChannelPaging_UnknownCursor(t *testing.T) {
	w := pagingWorld(t)
	for _, q := range []string{"after=65a000000000000000000001", "before=nope"} {
		p := w.send("GET", "/v1/channel-connections?"+q, apiKey(w.dev), nil).want(t, 200, q).page(t)
		if len(p.data) != 0 || p.next != nil || p.previous != nil || p.totalCount != 0 || p.totalCountCapped {
			t.Errorf("%s: %+v, want an empty page with totalCount 0", q, p)
		}
	}
	// Another environment's cursor is unknown here.
	w.slack(w.prod, "slack-x")
	w.subscribers(w.prod, "a", "b")
	w.connection(w.prod, map[string]any{"identifier": "p1", "integrationIdentifier": "slack-x", "subscriberId": "a"})
	w.connection(w.prod, map[string]any{"identifier": "p2", "integrationIdentifier": "slack-x", "subscriberId": "b"})
	prod := w.send("GET", "/v1/channel-connections?limit=1", apiKey(w.prod), nil).page(t)
	p := w.send("GET", "/v1/channel-connections?after="+cursor(prod.next), apiKey(w.dev), nil).page(t)
	if len(p.data) != 0 || p.totalCount != 0 {
		t.Errorf("another environment's cursor gave %v", p.ids())
	}
}

func TestChannelPaging_BothCursors(t *testing.T) {
	w := pagingWorld(t)
	p := w.list(t, "limit=2")
	w.send("GET", "/v1/channel-connections?after="+cursor(p.next)+"&before="+cursor(p.next), apiKey(w.dev), nil).
		wantMessage(t, 400, `Cannot specify both "before" and "after" cursors at the same time.`)
}

func TestChannelPaging_Endpoints(t *testing.T) {
	w := newWorld(t)
	w.subscribers(w.dev, "s", "s1", "s2", "s3", "s4", "s5")
	w.slack(w.dev, "slack-x")
	for i := 1; i <= 4; i++ {
		w.endpoint(w.dev, map[string]any{"identifier": fmt.Sprintf("e%d", i), "subscriberId": "s", "integrationIdentifier": "slack-x",
			"type": "slack_channel", "endpoint": map[string]any{"channelId": fmt.Sprint(i)}})
	}
	get := func(q string) page {
		return w.send("GET", "/v1/channel-endpoints?"+q, apiKey(w.dev), nil).want(t, 200, q).page(t)
	}
	p1 := get("limit=3&orderDirection=ASC")
	if !slices.Equal(p1.ids(), []string{"e1", "e2", "e3"}) || p1.next == nil || p1.previous != nil || p1.totalCount != 4 {
		t.Fatalf("first page = %v %v %v", p1.ids(), p1.next, p1.previous)
	}
	p2 := get("limit=3&orderDirection=ASC&after=" + cursor(p1.next))
	if !slices.Equal(p2.ids(), []string{"e4"}) || p2.next != nil || p2.previous == nil {
		t.Fatalf("second page = %v %v %v", p2.ids(), p2.next, p2.previous)
	}
	back := get("limit=3&orderDirection=ASC&before=" + cursor(p2.previous))
	if !slices.Equal(back.ids(), []string{"e1", "e2", "e3"}) || back.previous != nil || back.next == nil {
		t.Fatalf("back = %v %v %v", back.ids(), back.next, back.previous)
	}
}
