package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/novumock/novumock/internal/api"
)

// logSink takes the server's log lines off the request path and into few
// writes. A handler hands it request lines and records (see offPath)
// instead of formatting them: they wait in a batch, and the sink's one
// goroutine formats a batch every flushEvery (or as soon as a batch is
// full), request lines as slog writes them (appendRequestLine), anything
// else with slog's own handler, then writes the lines at once. A line is never more than that late, none
// is lost at exit (Flush and Close write out everything handed over before
// them), and the lines keep their order. One line per request at tens of
// thousands of requests a second would otherwise cost each request its
// formatting and a system call; handing records over one by one through a
// channel cost a request more than formatting it (measured: the load
// benchmark's list, in instructions per request).
type logSink struct {
	mu      sync.Mutex // guards batch, closed and room's waits
	batch   []queued   // records handed over, not yet formatted
	closed  bool       // set by Close: records are formatted where they are made
	room    *sync.Cond // signalled when a full batch is taken
	full    chan struct{}
	flushes chan chan struct{}
	stop    chan struct{}
	done    chan struct{}
	w       *bufio.Writer
	wmu     sync.Mutex // guards w: the sink's goroutine writes, and a late record after Close writes itself
}

// queued is a request's line or another record, and the handler that
// formats it, whose format a request's line may be written in directly
// (see appendRequestLine).
type queued struct {
	h    slog.Handler
	f    logFormat
	line api.RequestLine
	r    *slog.Record // nil for a request's line
}

const (
	flushEvery = 50 * time.Millisecond
	// batchSize is how many records wait before the goroutine is woken
	// early; maxWaiting, how many may wait at all: past it a request
	// waits for room (nothing is dropped).
	batchSize  = 512
	maxWaiting = 8192
	// yieldEvery is how many records the goroutine formats before it lets
	// the requests run: a batch formatted in one go would stall them all.
	yieldEvery = 64
)

func newLogSink(w io.Writer) *logSink {
	l := &logSink{w: bufio.NewWriterSize(w, 64<<10), full: make(chan struct{}, 1),
		flushes: make(chan chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	l.room = sync.NewCond(&l.mu)
	go l.loop()
	return l
}

// Write is where the formatting handlers write their lines.
func (l *logSink) Write(p []byte) (int, error) {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return l.w.Write(p)
}

// hand takes a record for the next batch; it reports false once the sink
// is closed.
func (l *logSink) hand(q queued) bool {
	l.mu.Lock()
	for len(l.batch) >= maxWaiting && !l.closed {
		l.room.Wait()
	}
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.batch = append(l.batch, q)
	n := len(l.batch)
	l.mu.Unlock()
	if n == batchSize {
		select {
		case l.full <- struct{}{}:
		default:
		}
	}
	return true
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
	var spare []queued
	var line []byte
	for {
		var ack chan struct{}
		select {
		case <-t.C:
		case <-l.full:
		case ack = <-l.flushes:
		case <-l.stop:
			l.format(spare, line)
			return
		}
		spare, line = l.format(spare, line)
		if ack != nil {
			close(ack)
		}
	}
}

// format takes the waiting batch (giving spare in its place), formats it
// and writes it out; it returns the emptied batch to be the next spare, and
// its line buffer.
func (l *logSink) format(spare []queued, line []byte) ([]queued, []byte) {
	l.mu.Lock()
	batch := l.batch
	l.batch = spare[:0]
	l.room.Broadcast()
	l.mu.Unlock()
	for i, q := range batch {
		var fast bool
		if q.r == nil {
			line, fast = appendRequestLine(line[:0], q.line, q.f)
		}
		if fast {
			_, _ = l.Write(line)
		} else {
			_ = q.h.Handle(context.Background(), q.record()) // a log that cannot be written has nowhere to say so
		}
		if i%yieldEvery == yieldEvery-1 {
			runtime.Gosched()
		}
	}
	l.write()
	clear(batch) // the records' attributes need not stay alive
	return batch, line
}

func (l *logSink) write() {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	_ = l.w.Flush() // a closed stderr leaves nowhere to report it
}

// Close writes out the rest and stops; a record handed over afterwards is
// written at once.
func (l *logSink) Close() {
	close(l.stop)
	<-l.done
	l.mu.Lock()
	l.closed = true
	rest := l.batch
	l.batch = nil
	l.room.Broadcast()
	l.mu.Unlock()
	for _, q := range rest { // handed over while the goroutine stopped
		_ = q.h.Handle(context.Background(), q.record())
	}
	l.write()
}

// record is what q holds as a record.
func (q *queued) record() slog.Record {
	if q.r == nil {
		return q.line.Record()
	}
	return *q.r
}

// offPath is a slog.Handler that hands records to a sink, which formats
// them with h on its own goroutine: a request pays for handing over its
// line's facts (api.RequestLogger), not for its line, and any other record
// for a copy.
type offPath struct {
	sink *logSink
	h    slog.Handler
	// f is h's format when h is slog's own handler as made (no attributes
	// or groups added), for appendRequestLine.
	f logFormat
}

func (o offPath) Enabled(ctx context.Context, level slog.Level) bool { return o.h.Enabled(ctx, level) }

func (o offPath) Handle(ctx context.Context, r slog.Record) error {
	r = r.Clone() // the caller may reuse the record's attributes
	if o.sink.hand(queued{h: o.h, f: o.f, r: &r}) {
		return nil
	}
	return o.late(ctx, r)
}

// late writes a record handed over after the sink closed, at once.
func (o offPath) late(ctx context.Context, r slog.Record) error {
	err := o.h.Handle(ctx, r)
	o.sink.write()
	return err
}

var _ api.RequestLogger = offPath{}

// LogRequest makes offPath an api.RequestLogger.
func (o offPath) LogRequest(l api.RequestLine) {
	if !o.sink.hand(queued{h: o.h, f: o.f, line: l}) {
		_ = o.late(context.Background(), l.Record()) // a log that cannot be written has nowhere to say so
	}
}

func (o offPath) WithAttrs(attrs []slog.Attr) slog.Handler {
	return offPath{sink: o.sink, h: o.h.WithAttrs(attrs)}
}

func (o offPath) WithGroup(name string) slog.Handler {
	return offPath{sink: o.sink, h: o.h.WithGroup(name)}
}
