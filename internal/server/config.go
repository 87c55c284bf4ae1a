package server

import (
	"log/slog"
	"time"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/limits"
)

// Config is everything a mock server is made from. Zero fields take the
// defaults below, which are the binary's defaults.
type Config struct {
	// Source is where the starting data comes from: a fixtures file, or
	// data generated from a seed. A reset returns to it.
	Source fixtures.Source
	// StateFile, if set, keeps the data across restarts: the server starts
	// from it when it exists (instead of Source) and saves every change to
	// it, within SaveEvery and at shutdown. It is locked while the server
	// runs (statefile.go says what else it guarantees).
	StateFile string
	Limits    Limits
	// StrictKeys answers an unknown API key with Novu's 401 instead of
	// giving it a fresh, empty tenant.
	StrictKeys bool
	// AutoSubscribers records an unknown subscriberId on the channel routes
	// as a bare new subscriber instead of Novu's 404 "Subscriber not found"
	// (--auto-subscribers), for suites that never provision subscribers.
	AutoSubscribers bool
	// CORSOrigins are the origins browsers may call Novu's API from, besides
	// loopback origins (api.Options.CORSOrigins says how).
	CORSOrigins []string
	// AllowedHosts are Host names answered besides the local ones
	// (api.Options.AllowedHosts).
	AllowedHosts []string
	// PublicURL is the base of every URL the mock hands out; empty: each
	// request's scheme and Host (api.Options.PublicURL).
	PublicURL string
	// SessionSecret signs dashboard tokens; empty: drawn at random when the
	// server is made.
	SessionSecret []byte
	// ControlToken, if set, guards the control plane.
	ControlToken string
	// Logger receives a line per request and every unexpected error.
	// Default: discard.
	Logger *slog.Logger
	// Timeouts of the HTTP server.
	Timeouts Timeouts
}

// Limits bound what clients can make the mock hold: internal/limits
// declares each (its flag, default, range and wording).
type Limits = limits.Values

// Timeouts of the HTTP server, like a production server's: nothing a
// client does (or fails to do) holds a connection for long.
type Timeouts struct {
	// ReadHeader bounds sending the headers.
	ReadHeader time.Duration
	// Read bounds sending the whole request, body included.
	Read time.Duration
	// Write bounds answering, from the end of the headers (an injected
	// delay moves it).
	Write time.Duration
	// Idle bounds a keep-alive connection's wait for its next request.
	Idle time.Duration
	// Shutdown bounds how long requests in flight may finish after a stop.
	Shutdown time.Duration
}

// DefaultTimeouts are the binary's.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      30 * time.Second,
	Idle:       30 * time.Second,
	Shutdown:   10 * time.Second,
}

// MaxHeaderBytes bounds a request's line and headers (a URI included).
const MaxHeaderBytes = 64 << 10

func (c *Config) fill() {
	c.Limits.Fill()
	t := &c.Timeouts
	for _, p := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&t.ReadHeader, DefaultTimeouts.ReadHeader}, {&t.Read, DefaultTimeouts.Read}, {&t.Write, DefaultTimeouts.Write},
		{&t.Idle, DefaultTimeouts.Idle}, {&t.Shutdown, DefaultTimeouts.Shutdown}} {
		if *p.v <= 0 {
			*p.v = p.def
		}
	}
}
