// Package limits declares the bounds a user of the mock sets: each once,
// with its flag (whose NOVU_MOCK_* twin follows from the name), default,
// range, help and the words a client or the start-up gets when it is
// reached. The command line, the server's defaults and the API's answers
// are all derived from Specs, so a new limit is a row here plus the code
// that enforces it.
//
// It is not the enforcement: the store, the journal and the HTTP server
// enforce their bounds; they report one reached as an errs.Error with a
// Bound naming one of the Resources below.
package limits

import (
	"fmt"
	"slices"
	"strings"

	"github.com/novumock/novumock/internal/errs"
)

// The resources a bound counts, as an errs.Bound names them.
const (
	// Integrations: live integrations of one environment.
	Integrations = "integrations"
	// ChannelConnections, ChannelEndpoints and Subscribers: those of one
	// environment, each bounded like its integrations.
	ChannelConnections = "channelConnections"
	ChannelEndpoints   = "channelEndpoints"
	Subscribers        = "subscribers"
	// Bytes: the size of everything stored.
	Bytes = "bytes"
	// Organizations, Environments and APIKeys: made at run time (tenants,
	// the control plane) since the last load, each counted on its own.
	Organizations = "organizations"
	Environments  = "environments"
	APIKeys       = "apiKeys"
)

// Values are the bounds a mock runs with. Zero fields take their Spec's
// default (see Fill).
type Values struct {
	// Tenants bounds the organizations, environments and API keys made at
	// run time until a reset.
	Tenants int64
	// Integrations bounds the live integrations of one environment, and
	// each on its own its channel connections, endpoints and subscribers.
	Integrations int64
	// StoreBytes bounds the size of all stored records.
	StoreBytes int64
	// Connections bounds the connections served at once (lowered to the
	// process's file descriptor limit).
	Connections int64
	// JournalSize bounds the request journal's entries.
	JournalSize int64
}

// Spec is one bound: its flag, default and range, help, and words.
type Spec struct {
	// Flag is the command-line flag, without dashes.
	Flag  string
	Usage string
	// Default, Min and Max are in the flag's unit; Unit is what one of
	// them is in the Values field (1 << 20 for a flag in MiB).
	Default, Min, Max, Unit int64
	// Field is the Values field the bound sets.
	Field func(*Values) *int64
	// Resources are what an errs.Bound of this spec names; none for a
	// bound no client is ever told of (connections are closed, the
	// journal drops its oldest).
	Resources []string
	// Title and What word a reached bound: "Integration limit reached"
	// and "environment X holds 10000 live integrations, the most
	// --max-integrations allows"; Advice tells a client what to do.
	Title  string
	What   func(b errs.Bound) string
	Advice string
}

// Specs are every bound a user sets, in the order --help lists them.
var Specs = []Spec{
	{
		Flag: "max-tenants", Default: 1000, Min: 1, Max: 1_000_000, Unit: 1,
		Usage:     "organizations, environments and API keys that may be made at run time until a reset",
		Field:     func(v *Values) *int64 { return &v.Tenants },
		Resources: []string{Organizations, Environments, APIKeys},
		Title:     "Limit reached",
		What: func(b errs.Bound) string {
			return fmt.Sprintf("%d %s were made since the last reset, the most --max-tenants allows", b.Limit, b.Resource)
		},
		Advice: "reset the mock (POST /_mock/reset) or raise it",
	},
	{
		Flag: "max-integrations", Default: 10_000, Min: 1, Max: 10_000_000, Unit: 1,
		Usage:     "live integrations one environment may hold (and, each on its own, channel connections, endpoints and subscribers)",
		Field:     func(v *Values) *int64 { return &v.Integrations },
		Resources: []string{Integrations, ChannelConnections, ChannelEndpoints, Subscribers},
		Title:     "Integration limit reached",
		What: func(b errs.Bound) string {
			what := map[string]string{Integrations: "live integrations", ChannelConnections: "channel connections",
				ChannelEndpoints: "channel endpoints", Subscribers: "subscribers"}[b.Resource]
			return fmt.Sprintf("environment %s holds %d %s, the most --max-integrations allows", b.Scope, b.Limit, what)
		},
		Advice: "delete some or reset the mock",
	},
	{
		Flag: "max-store-mb", Default: 128, Min: 1, Max: 64 << 10, Unit: 1 << 20,
		Usage:     "MiB all stored records (integrations, channel connections, endpoints and subscribers) together may take",
		Field:     func(v *Values) *int64 { return &v.StoreBytes },
		Resources: []string{Bytes},
		Title:     "Storage limit reached",
		What: func(b errs.Bound) string {
			return fmt.Sprintf("the records take the %d MiB --max-store-mb allows", b.Limit>>20)
		},
		Advice: "delete some or reset the mock",
	},
	{
		Flag: "max-connections", Default: 1024, Min: 16, Max: 1_000_000, Unit: 1,
		Usage: "connections served at once (lowered to fit the file descriptor limit); at the cap the longest-waiting is closed",
		Field: func(v *Values) *int64 { return &v.Connections },
	},
	{
		Flag: "journal-size", Default: 1000, Min: 1, Max: 1_000_000, Unit: 1,
		Usage: "requests the journal keeps (oldest dropped)",
		Field: func(v *Values) *int64 { return &v.JournalSize },
	},
}

// Defaults returns every bound at its default.
func Defaults() Values {
	var v Values
	v.Fill()
	return v
}

// Fill gives every zero (or negative) bound its default.
func (v *Values) Fill() {
	for _, s := range Specs {
		if f := s.Field(v); *f <= 0 {
			*f = s.Default * s.Unit
		}
	}
}

// Set sets the bound a flag names ("max-integrations") to n, in the
// flag's unit (MiB for max-store-mb), refusing a value outside its range:
// the one reading of a limit's value, for the command line and novutest.
func (v *Values) Set(flag string, n int64) error {
	for _, s := range Specs {
		if s.Flag != flag {
			continue
		}
		if n < s.Min || n > s.Max {
			return fmt.Errorf("want a whole number from %d to %d", s.Min, s.Max)
		}
		*s.Field(v) = n * s.Unit
		return nil
	}
	flags := make([]string, len(Specs))
	for i, s := range Specs {
		flags[i] = s.Flag
	}
	return fmt.Errorf("no limit is named %q (the limits: %s)", flag, strings.Join(flags, ", "))
}

// For returns the spec whose bound a resource counts against.
func For(resource string) (Spec, bool) {
	for _, s := range Specs {
		if slices.Contains(s.Resources, resource) {
			return s, true
		}
	}
	return Spec{}, false
}

// Answer words a reached bound for the client that hit it: what ran out,
// the number, the flag that sets it and what to do.
func Answer(b errs.Bound) string {
	s, ok := For(b.Resource)
	if !ok {
		return fmt.Sprintf("Limit reached: %d %s", b.Limit, b.Resource)
	}
	return s.Title + ": " + s.What(b) + "; " + s.Advice
}

// Describe words a reached bound for a start-up that loads too much: what
// the data holds past which flag.
func Describe(b errs.Bound) string {
	s, ok := For(b.Resource)
	if !ok {
		return fmt.Sprintf("more than %d %s", b.Limit, b.Resource)
	}
	return "past the bound: " + s.What(b)
}
