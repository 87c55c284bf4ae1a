package listcache

import (
	"strconv"
	"testing"
)

// TestCache_GetPut: an answer is kept by environment, what was asked and
// version, with its Content-Length; a newer version replaces it, an older
// one does not, and version 0 (unknown) is never kept.
func TestCache_GetPut(t *testing.T) {
	c := New()
	body := []byte(`{"data":[]}`)
	c.Put("env", "integrations", 2, body)
	got, length, ok := c.Get("env", "integrations", 2)
	if !ok || string(got) != string(body) || len(length) != 1 || length[0] != strconv.Itoa(len(body)) {
		t.Fatalf("Get = %q %q %v, want the body and its length", got, length, ok)
	}
	for _, miss := range []struct {
		env, what string
		version   uint64
	}{{"env", "integrations", 3}, {"env", "integrations/active", 2}, {"other", "integrations", 2}, {"env", "integrations", 0}} {
		if _, _, ok := c.Get(miss.env, miss.what, miss.version); ok {
			t.Errorf("Get(%+v) hit", miss)
		}
	}
	c.Put("env", "integrations", 1, []byte("older"))
	if got, _, ok := c.Get("env", "integrations", 2); !ok || string(got) != string(body) {
		t.Errorf("an older version replaced the answer: %q", got)
	}
	newer := []byte(`{"data":[{}]}`)
	c.Put("env", "integrations", 3, newer)
	if got, length, ok := c.Get("env", "integrations", 3); !ok || string(got) != string(newer) || length[0] != strconv.Itoa(len(newer)) {
		t.Errorf("the newer version was not kept: %q %q", got, length)
	}
	_, l1, _ := c.Get("env", "integrations", 3)
	if _, l2, _ := c.Get("env", "integrations", 3); &l1[0] != &l2[0] {
		t.Error("the Content-Length values were made again for a kept answer")
	}
	before := len(c.entries)
	c.Put("env", "x", 0, body)
	if len(c.entries) != before {
		t.Error("version 0 was kept")
	}
}
