package main

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
)

// gate is a writer that holds every write until it is opened.
type gate struct {
	syncBuffer
	open chan struct{}
}

func (g *gate) Write(p []byte) (int, error) {
	<-g.open
	return g.syncBuffer.Write(p)
}

// TestLogSink_OrderBoundAndClose: lines come out in the order they were
// handed over, request lines and records mixed; with the writer stuck, a
// request waits once maxWaiting lines wait, and nothing is dropped; Close
// writes out everything handed over before it; a line after Close is
// written at once.
func TestLogSink_OrderBoundAndClose(t *testing.T) {
	g := &gate{open: make(chan struct{})}
	sink := newLogSink(g)
	h := offPath{sink: sink, h: slog.NewTextHandler(sink, nil), f: textFormat}
	log := slog.New(h)
	n := 3 * maxWaiting // more than may wait, in the writer's buffer, a batch being formatted and the next: the last requests wait for room
	handed := make(chan struct{})
	go func() {
		defer close(handed)
		for i := range n {
			if i%100 == 0 {
				log.Info("record", slog.Int("i", i))
				continue
			}
			h.LogRequest(api.RequestLine{Time: time.Now(), Level: slog.LevelInfo, Method: "GET", Path: fmt.Sprint("/v1/", i), Status: 200})
		}
	}()
	select {
	case <-handed:
		t.Fatal("every line was handed over while the writer was stuck: nothing bounds what waits")
	case <-time.After(300 * time.Millisecond):
	}
	close(g.open)
	select {
	case <-handed:
	case <-time.After(10 * time.Second):
		t.Fatal("the requests were not released once the writer moved")
	}
	sink.Close()
	h.LogRequest(api.RequestLine{Time: time.Now(), Level: slog.LevelInfo, Method: "GET", Path: "/after-close", Status: 200})
	lines := strings.Split(strings.TrimSpace(g.String()), "\n")
	if len(lines) != n+1 {
		t.Fatalf("%d lines written, want %d", len(lines), n+1)
	}
	for i := range n {
		want := fmt.Sprint("path=/v1/", i, " ")
		if i%100 == 0 {
			want = fmt.Sprint("msg=record i=", i)
		}
		if !strings.Contains(lines[i], want) {
			t.Fatalf("line %d is %q, want it to hold %q", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[n], "path=/after-close") {
		t.Fatalf("the line after Close: %q", lines[n])
	}
}
