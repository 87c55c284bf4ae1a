// Command soakload drives a bounded, mixed load at a running mock and reports
// every error: transport failures, 5xx, statuses outside what the route may
// answer, bodies that are not Novu's, and lost writes. It exits 1 if there
// was any. scripts/soak runs it against the real binary and watches memory.
//
//	go run ./scripts/soakload -url http://127.0.0.1:3000 -duration 60s -clients 300
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/novumock/novumock/internal/store"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:3000", "base URL of the mock")
	duration := flag.Duration("duration", 60*time.Second, "how long to load it")
	clients := flag.Int("clients", 300, "concurrent clients")
	shared := flag.Int("shared", 50, "clients that share the seeded Development environment (the rest get a tenant each)")
	sharedKey := flag.String("shared-key", "95798d340c0a17e8f9c93b9d209d2fc7", "API key of the shared environment")
	pid := flag.Int("pid", 0, "the server's process id, to report its resident memory (Linux)")
	flag.Parse()
	if *pid != 0 {
		stop := watchRSS(*pid, 5*time.Second)
		defer stop()
	}
	if err := soak(*url, *duration, *clients, *shared, *sharedKey); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// loadDone tells the memory watcher that the load is over.
var loadDone = make(chan struct{}, 1)

// watchRSS prints the resident memory of a process at the start, every
// period during the load, and when the load ends (before the final checks,
// which allocate for themselves).
func watchRSS(pid int, period time.Duration) (stop func()) {
	rss := func() int {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return -1
		}
		for _, line := range strings.Split(string(raw), "\n") {
			var kb int
			if n, _ := fmt.Sscanf(line, "VmRSS: %d kB", &kb); n == 1 {
				return kb
			}
		}
		return -1
	}
	start := rss()
	samples := []int{start}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				samples = append(samples, rss())
			case <-loadDone:
				end := rss()
				fmt.Printf("soak: server RSS start %d kB, peak %d kB, end of load %d kB (every %v: %v)\n",
					start, slices.Max(append(samples, end)), end, period, samples)
				<-done
				return
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// tally counts what happened, by kind.
type tally struct {
	requests atomic.Int64
	mu       sync.Mutex
	errors   map[string]int
	examples map[string]string
}

func (t *tally) fail(kind, example string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors[kind]++
	if _, ok := t.examples[kind]; !ok {
		t.examples[kind] = example
	}
}

type client struct {
	base, key string
	http      *http.Client
	r         *rand.Rand
	t         *tally
	live      []string // ids this client created and has not deleted
	deleted   []string
	latencies []time.Duration
}

func soak(base string, d time.Duration, clients, shared int, sharedKey string) error {
	t := &tally{errors: map[string]int{}, examples: map[string]string{}}
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: 0}
	run := fmt.Sprint(time.Now().UnixNano())
	cs := make([]*client, clients)
	for i := range cs {
		key := fmt.Sprintf("soak-%s-%d", run, i)
		if i < shared {
			key = sharedKey
		}
		cs[i] = &client{base: base, key: key, http: &http.Client{Transport: transport, Timeout: 30 * time.Second},
			r: rand.New(rand.NewPCG(uint64(i), 1)), t: t}
	}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				c.step()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	loadDone <- struct{}{}
	for _, c := range cs {
		c.verify()
	}
	verifyInvariants(base, t)

	var all []time.Duration
	for _, c := range cs {
		all = append(all, c.latencies...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	n := t.requests.Load()
	fmt.Printf("soak: %d clients for %v: %d requests, %.0f req/s, p50 %v, p99 %v\n",
		clients, elapsed.Round(time.Millisecond), n, float64(n)/elapsed.Seconds(), pct(0.5), pct(0.99))
	total := 0
	for kind, count := range t.errors {
		fmt.Printf("soak: error %s × %d, e.g. %s\n", kind, count, t.examples[kind])
		total += count
	}
	fmt.Printf("soak: errors %d\n", total)
	if total > 0 {
		return fmt.Errorf("%d errors", total)
	}
	return nil
}

// do makes one request and checks its answer's status and shape.
func (c *client) do(method, path string, body any, want ...int) (map[string]any, int) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "ApiKey "+c.key)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	res, err := c.http.Do(req)
	c.t.requests.Add(1)
	if err != nil {
		c.t.fail("transport", err.Error())
		return nil, 0
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	c.latencies = append(c.latencies, time.Since(start))
	what := fmt.Sprintf("%s %s → %d", method, path, res.StatusCode)
	if err != nil {
		c.t.fail("read", what+": "+err.Error())
		return nil, res.StatusCode
	}
	if res.StatusCode >= 500 {
		c.t.fail("5xx", what+": "+string(raw))
	} else if !slices.Contains(want, res.StatusCode) {
		c.t.fail("unexpected status", what+": "+string(raw))
	}
	var out map[string]any
	if json.Unmarshal(raw, &out) != nil {
		c.t.fail("not JSON", what)
		return nil, res.StatusCode
	}
	if res.StatusCode < 300 {
		if _, ok := out["data"]; !ok || len(out) != 1 {
			c.t.fail("bad envelope", what)
		}
	} else if _, ok := out["statusCode"].(float64); !ok || out["timestamp"] == nil || out["path"] == nil {
		c.t.fail("not a Novu error body", what+": "+string(raw))
	}
	return out, res.StatusCode
}

var channels = []string{"email", "sms", "email", "sms", "chat", "push"}

// step makes one request of the mix, on this client's own records.
func (c *client) step() {
	mine := func() string { return c.live[c.r.IntN(len(c.live))] }
	switch op := c.r.IntN(20); {
	case op < 5 || len(c.live) == 0:
		ch := channels[c.r.IntN(len(channels))]
		out, status := c.do("POST", "/v1/integrations", map[string]any{"providerId": "soak-" + ch, "channel": ch,
			"active": c.r.IntN(3) > 0, "credentials": map[string]any{"apiKey": "k"}}, 201)
		if status == 201 {
			c.live = append(c.live, out["data"].(map[string]any)["_id"].(string))
		}
	case op < 8:
		c.do("PUT", "/v1/integrations/"+mine(), map[string]any{"active": c.r.IntN(2) == 0, "name": "soak"}, 200)
	case op < 10:
		// Another client of the shared environment may hold the identifier
		// (409), or it may be this record's own already (400: nothing to do).
		c.do("PUT", "/v1/integrations/"+mine(), map[string]any{"identifier": fmt.Sprint("soak-", c.r.IntN(1000))}, 200, 400, 409)
	case op < 12:
		c.do("POST", "/v1/integrations/"+mine()+"/set-primary", nil, 200, 400)
	case op < 15 || len(c.live) > 20:
		i := c.r.IntN(len(c.live))
		if _, status := c.do("DELETE", "/v1/integrations/"+c.live[i], nil, 200); status == 200 {
			c.deleted = append(c.deleted, c.live[i])
			c.live = slices.Delete(c.live, i, i+1)
		}
	case op < 18:
		c.do("GET", "/v1/integrations", nil, 200)
	default:
		c.do("GET", "/v1/integrations/active", nil, 200)
	}
}

// verify checks for lost writes: every record this client created and did
// not delete is listed; none it deleted is.
func (c *client) verify() {
	out, status := c.do("GET", "/v1/integrations", nil, 200)
	if status != 200 {
		return
	}
	listed := map[string]bool{}
	for _, x := range out["data"].([]any) {
		listed[x.(map[string]any)["_id"].(string)] = true
	}
	for _, id := range c.live {
		if !listed[id] {
			c.t.fail("lost create", id)
		}
	}
	for _, id := range c.deleted {
		if listed[id] {
			c.t.fail("lost delete", id)
		}
	}
}

// verifyInvariants loads the exported state into a fresh store, which
// checks every invariant.
func verifyInvariants(base string, t *tally) {
	res, err := http.Get(base + "/_mock/state")
	if err != nil {
		t.fail("state", err.Error())
		return
	}
	ds, err := store.DecodeDataset(res.Body)
	res.Body.Close()
	if err == nil {
		err = store.New(store.Options{}).Load(ds)
	}
	if err != nil {
		t.fail("invariant", err.Error())
	}
}
