// Command mockserver is a local stand-in for Novu's integrations API: it
// answers /v1/integrations as Novu does, from an in-memory store seeded with
// believable demo data. Run mockserver help for its commands and flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"syscall"
	"time"
)

func main() {
	tuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal is not caught: it ends the process at once
	}()
	os.Exit(exitCode(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr))
}

// memoryLimit is the garbage collector's soft memory limit, unless
// GOMEMLIMIT says otherwise: the collector works harder as the heap nears
// it, so the bounds of the store, the journal and the answers in flight
// keep the process well under half a gigabyte.
const memoryLimit = 384 << 20

// gcHeadroom is how far the heap may grow past what is live before the
// collector runs, where that is more than Go's default (GOGC=100: twice
// the live heap). A mock's live heap is mostly its seeded data and tables,
// a few tens of MB, which the default makes the collector mark again every
// few MB allocated; with this headroom it marks every 64 MB, which the
// load benchmark measures at about a tenth of a list's CPU (docs/
// performance.md). A large store keeps Go's default, and memoryLimit
// bounds both.
const gcHeadroom = 64 << 20

func tuneGC(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if getenv("GOGC") != "" {
		return // the user's own setting
	}
	go func() {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		current := 100
		for range time.Tick(time.Second) {
			metrics.Read(live)
			if percent := gcPercent(live[0].Value.Uint64()); percent != current {
				debug.SetGCPercent(percent)
				current = percent
			}
		}
	}()
}

// gcPercent is the GOGC that gives a live heap gcHeadroom to grow, never
// less than Go's default, rounded to tens so it changes seldom.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	return max(100, min(1000, int(gcHeadroom*100/live))/10*10)
}

// hintError is an error with one line telling the user what to do about it.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// exitCode prints err once, with a hint, and returns the exit status: 0,
// 2 for a mistake on the command line, an exitError's own, 1 for anything
// else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "mockserver:", err)
	var ue *usageError
	var he *hintError
	var xe *exitError
	switch {
	case errors.As(err, &xe):
		return xe.code
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "Run mockserver --help for the commands and flags.")
		return 2
	case errors.As(err, &he):
		fmt.Fprintln(stderr, he.hint)
	}
	return 1
}
