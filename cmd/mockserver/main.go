// Command mockserver is a local stand-in for Novu's integrations API: it
// answers /v1/integrations as Novu does, from an in-memory store seeded with
// believable demo data.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	tuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mockserver:", err)
		os.Exit(1)
	}
}

// gcPercent is the mock's garbage-collection target unless GOGC is set. A
// mock's live heap is small (its data), and most of what it allocates dies
// with the request: collecting at three times the live heap instead of
// twice halves the collector's work, which the profile of a loaded server
// showed as a few percent of all CPU, for a few megabytes more.
const gcPercent = 200

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
