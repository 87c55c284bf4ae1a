package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"time"
)

// logSink takes the server's log lines off the request path and into few
// writes. A handler hands it records (see offPath) instead of formatting
// them: its one goroutine formats each with slog's own handler and
// batches the lines, writing them every flushEvery, on Flush and on Close,
// so a line is never more than that late, none is lost at exit, and they
// keep their order. One line per request at tens of thousands of requests
// a second would otherwise cost each request its formatting and a system
// call. A burst past the queue's size waits for room (nothing is dropped).
type logSink struct {
	mu      sync.Mutex // guards w
	w       *bufio.Writer
	records chan queued
	flushes chan chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// queued is a record and the handler that formats it.
type queued struct {
	h slog.Handler
	r slog.Record
}

const (
	flushEvery = 50 * time.Millisecond
	// queueSize is kept small, and the goroutine yields after each record,
	// so that it formats as the records come instead of in bursts that
	// stall every request behind a full queue (measured: p99 of a list at
	// 64 connections 126–215 ms with a queue of 4096 or 256 and no yield,
	// 15–17 ms with both, as with formatting on the request path).
	queueSize = 256
)

func newLogSink(w io.Writer) *logSink {
	l := &logSink{w: bufio.NewWriterSize(w, 64<<10), records: make(chan queued, queueSize),
		flushes: make(chan chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go l.loop()
	return l
}

// Write is where the formatting handlers write their lines.
func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Flush writes out every record handed over before it was called.
func (l *logSink) Flush() {
	ack := make(chan struct{})
	select {
	case l.flushes <- ack:
		<-ack
	case <-l.done: // closed: everything is written already
	}
}

func (l *logSink) loop() {
	defer close(l.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case q := <-l.records:
			_ = q.h.Handle(context.Background(), q.r) // a log that cannot be written has nowhere to say so
			runtime.Gosched()
		case <-t.C:
			l.write()
		case ack := <-l.flushes:
			l.drain()
			l.write()
			close(ack)
		case <-l.stop:
			l.drain()
			l.write()
			return
		}
	}
}

// drain formats every record waiting.
func (l *logSink) drain() {
	for {
		select {
		case q := <-l.records:
			_ = q.h.Handle(context.Background(), q.r)
		default:
			return
		}
	}
}

func (l *logSink) write() {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.w.Flush() // a closed stderr leaves nowhere to report it
}

// Close writes out the rest and stops.
func (l *logSink) Close() {
	close(l.stop)
	<-l.done
}

// offPath is a slog.Handler that hands records to a sink, which formats
// them with h on its own goroutine: a request pays for a copy of its
// record, not for its line.
type offPath struct {
	sink *logSink
	h    slog.Handler
}

func (o offPath) Enabled(ctx context.Context, level slog.Level) bool { return o.h.Enabled(ctx, level) }

func (o offPath) Handle(ctx context.Context, r slog.Record) error {
	select {
	case o.sink.records <- queued{h: o.h, r: r.Clone()}: // Clone: the caller may reuse the record's attributes
		return nil
	case <-o.sink.done: // closed: a late line is written at once
		err := o.h.Handle(ctx, r)
		o.sink.write()
		return err
	}
}

func (o offPath) WithAttrs(attrs []slog.Attr) slog.Handler {
	return offPath{sink: o.sink, h: o.h.WithAttrs(attrs)}
}

func (o offPath) WithGroup(name string) slog.Handler {
	return offPath{sink: o.sink, h: o.h.WithGroup(name)}
}
