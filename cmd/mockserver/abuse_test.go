package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The attacks of a hostile or careless client, against the real binary:
// each must leave it answering, under half a gigabyte of resident memory.

const maxRSS = 512 << 10 // kB

// hammer runs f from n goroutines, each for its share of total calls.
func hammer(n, total int, f func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// do sends one request and returns its status (0 if it failed).
func do(method, url, auth, body string) int {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// healthy checks the binary still answers its liveness probe, quickly.
func healthy(t *testing.T, p *proc) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	res, err := c.Get(p.url + "/_mock/health")
	if err != nil {
		t.Fatalf("/_mock/health: %v\n%s", err, p.logText())
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/_mock/health: %d", res.StatusCode)
	}
}

func TestAbuse_MemoryStaysBounded(t *testing.T) {
	binary(t)
	count := func(statuses *sync.Map, status int) {
		v, _ := statuses.LoadOrStore(status, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	summary := func(statuses *sync.Map) string {
		var parts []string
		statuses.Range(func(k, v any) bool {
			parts = append(parts, fmt.Sprintf("%v×%d", k, v.(*atomic.Int64).Load()))
			return true
		})
		return strings.Join(parts, " ")
	}
	for _, tc := range []struct {
		name   string
		attack func(t *testing.T, p *proc) string
	}{
		{"SlowReadersOfALargeList", func(t *testing.T, p *proc) string {
			// 500 integrations of ~95 KB of configurations (which an API key
			// sees, unlike credentials): a list of about 48 MB.
			bulk := strings.Repeat("k", 95_000)
			var statuses sync.Map
			hammer(8, 500, func(i int) {
				count(&statuses, do("POST", p.url+"/v1/integrations", "ApiKey "+p.key,
					fmt.Sprintf(`{"providerId":"p%d","channel":"chat","configurations":{"note":"%s"}}`, i, bulk)))
			})
			// 100 clients ask for it and read nothing.
			var conns []net.Conn
			for range 100 {
				c, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
				if err != nil {
					t.Fatal(err)
				}
				conns = append(conns, c)
				fmt.Fprintf(c, "GET /v1/integrations HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey %s\r\n\r\n", p.key)
			}
			time.Sleep(3 * time.Second)
			healthy(t, p)
			for _, c := range conns {
				c.Close()
			}
			return "creates " + summary(&statuses)
		}},
		{"HugeURIs", func(t *testing.T, p *proc) string {
			var statuses sync.Map
			uri := p.url + "/v1/integrations/" + strings.Repeat("a", 1<<20)
			hammer(16, 300, func(int) { count(&statuses, do("GET", uri, "", "")) })
			return summary(&statuses)
		}},
		{"LargeCredentialsUntilTheStoreIsFull", func(t *testing.T, p *proc) string {
			creds := strings.Repeat("c", 99_000)
			var statuses sync.Map
			hammer(16, 1600, func(i int) {
				count(&statuses, do("POST", p.url+"/v1/integrations", fmt.Sprintf("ApiKey tenant-%d", i%200),
					fmt.Sprintf(`{"providerId":"p","channel":"chat","credentials":{"apiKey":"%s"}}`, creds)))
			})
			return summary(&statuses)
		}},
		{"FaultFlood", func(t *testing.T, p *proc) string {
			msg := strings.Repeat("m", 1024)
			var statuses sync.Map
			hammer(8, 3000, func(i int) {
				count(&statuses, do("POST", p.url+"/_mock/faults", "",
					fmt.Sprintf(`{"path":"/v1/x/%d","status":500,"message":"%s"}`, i, msg)))
			})
			hammer(8, 50, func(int) {
				count(&statuses, do("POST", p.url+"/_mock/faults", "", `{"path":"/v1/x","status":500,"message":"`+strings.Repeat("m", 1<<20)+`"}`))
			})
			return summary(&statuses)
		}},
		{"EnvironmentFlood", func(t *testing.T, p *proc) string {
			res, err := http.Get(p.url + "/_mock/environments")
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			org := strings.SplitN(strings.SplitN(string(raw), `"_organizationId":"`, 2)[1], `"`, 2)[0]
			var statuses sync.Map
			hammer(8, 3000, func(i int) {
				count(&statuses, do("POST", p.url+"/_mock/environments", "",
					fmt.Sprintf(`{"name":"%d %s","organizationId":"%s"}`, i, strings.Repeat("n", 1000), org)))
			})
			return summary(&statuses)
		}},
		{"DeepJSON", func(t *testing.T, p *proc) string {
			deep := `{"providerId":"p","channel":"chat","credentials":{"a":` + strings.Repeat("[", 45_000) + strings.Repeat("]", 45_000) + "}}"
			var statuses sync.Map
			hammer(8, 400, func(int) { count(&statuses, do("POST", p.url+"/v1/integrations", "ApiKey "+p.key, deep)) })
			return summary(&statuses)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startBinary(t, 0)
			what := tc.attack(t, p)
			healthy(t, p)
			hwm := p.status(t, "VmHWM")
			t.Logf("%s: peak resident memory %d MB (%s)", tc.name, hwm>>10, what)
			if hwm > maxRSS {
				t.Errorf("%s: peak resident memory %d MB, over %d MB", tc.name, hwm>>10, maxRSS>>10)
			}
		})
	}
}

// TestAbuse_DescriptorLimit: with few file descriptors, a client holding
// more connections than the server may have (idle, or stalled in the middle
// of a request) cannot stop /_mock/health from answering.
func TestAbuse_DescriptorLimit(t *testing.T) {
	p := startBinary(t, 64) // room for 32 connections
	addr := strings.TrimPrefix(p.url, "http://")
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for i := range 200 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		held = append(held, c)
		switch i % 3 {
		case 0: // stalled headers
			fmt.Fprint(c, "GET /v1/integrations HTTP/1.1\r\nHost: x\r\n")
		case 1: // a body announced, never sent
			fmt.Fprint(c, "POST /v1/integrations HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n")
		case 2: // idle after one request
			fmt.Fprint(c, "GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n")
			_, _ = bufio.NewReader(c).ReadString('\n')
		}
		if i%40 == 39 {
			healthy(t, p)
		}
	}
	for range 5 {
		healthy(t, p)
	}
	if strings.Contains(p.logText(), "too many open files") {
		t.Errorf("the server ran out of descriptors:\n%s", p.logText())
	}
}

// TestSignals_SecondSignalExitsAtOnce: a shutdown held up by a client that
// reads nothing ends at once on a second signal.
func TestSignals_SecondSignalExitsAtOnce(t *testing.T) {
	p := startBinary(t, 0)
	bulk := strings.Repeat("k", 95_000)
	var created atomic.Int64
	hammer(8, 500, func(i int) { // a list of about 48 MB, more than a socket buffers
		if do("POST", p.url+"/v1/integrations", "ApiKey "+p.key, fmt.Sprintf(`{"providerId":"p%d","channel":"chat","configurations":{"note":"%s"}}`, i, bulk)) == 201 {
			created.Add(1)
		}
	})
	if created.Load() != 500 {
		t.Fatalf("%d of 500 creates succeeded", created.Load())
	}
	c, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /v1/integrations HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey %s\r\n\r\n", p.key)
	time.Sleep(300 * time.Millisecond) // its answer is stuck in the socket now
	p.signal(t, syscall.SIGTERM)
	time.Sleep(500 * time.Millisecond)
	select {
	case <-p.exited:
		t.Fatalf("exited on the first signal while a request was in flight: %v\n%s", p.waitErr, p.logText())
	default:
	}
	start := time.Now()
	p.signal(t, syscall.SIGTERM)
	select {
	case <-p.exited:
		if took := time.Since(start); took > time.Second {
			t.Errorf("exited %v after the second signal", took)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("still running 3 s after a second signal")
	}
}

// TestAbuse_ListingAFullJournal: a journal filled to --journal-size 5000
// with the bodies that cost most to show (8 KiB of empty objects, which
// decoded become thousands of maps each, and 99 KB credentials) is listed
// by several clients at once, under the resident memory bound.
func TestAbuse_ListingAFullJournal(t *testing.T) {
	binary(t)
	p := startBinary(t, 0, "--journal-size", "5000")
	objects := "[" + strings.Repeat("{},", 8<<10/3) + "{}]"
	creds := fmt.Sprintf(`{"providerId":"sendgrid","channel":"email","credentials":{"apiKey":"%s","from":"a@b.co"}}`, strings.Repeat("c", 99_000))
	var statuses sync.Map
	hammer(8, 5000, func(i int) {
		body := objects
		if i%10 == 0 {
			body = creds
		}
		// A route whose path is refused (422) before its body is decoded:
		// journaled with its body like any API request, but nothing
		// decodes or stores it, so filling is cheap and the listing is
		// what is measured.
		st := do("PUT", p.url+"/v1/integrations/not-an-id", "ApiKey "+p.key, body)
		v, _ := statuses.LoadOrStore(st, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	})
	filled := p.status(t, "VmHWM")
	listed := make([]int, 4)
	var wg sync.WaitGroup
	for i := range listed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// At once: the peak is what four clients listing together cost.
			res, err := http.Get(p.url + "/_mock/requests")
			if err != nil {
				t.Errorf("GET /_mock/requests: %v", err)
				return
			}
			raw, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 || !json.Valid(raw) {
				t.Errorf("GET /_mock/requests: status = %d (%v), want 200 and a JSON answer", res.StatusCode, err)
			}
			listed[i] = len(raw)
		}()
	}
	wg.Wait()
	healthy(t, p)
	if listed[0] < 24<<20 {
		t.Errorf("the journal listed %d bytes, want it full (near its 32 MiB bound)", listed[0])
	}
	hwm := p.status(t, "VmHWM")
	t.Logf("listing a full journal: peak resident memory %d MB (%d MB once filled; answers of %d MB)", hwm>>10, filled>>10, listed[0]>>20)
	if hwm > maxRSS/2 {
		t.Errorf("listing a full journal: peak resident memory %d MB, want well under %d MB (at most %d)", hwm>>10, maxRSS>>10, maxRSS>>11)
	}
}
