package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logSink batches log lines into few writes: one line per request at tens
// of thousands of requests a second would otherwise cost a system call
// each. It flushes every flushEvery, on Flush, and on Close, so a line is
// never more than that late and none is lost at exit.
type logSink struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

const flushEvery = 50 * time.Millisecond

func newLogSink(w io.Writer) *logSink {
	l := &logSink{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go l.loop()
	return l
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Flush writes out what is buffered.
func (l *logSink) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.w.Flush() // a closed stderr leaves nowhere to report it
}

func (l *logSink) loop() {
	defer close(l.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			l.Flush()
		case <-l.stop:
			return
		}
	}
}

// Close stops the flushing and writes out the rest.
func (l *logSink) Close() {
	close(l.stop)
	<-l.done
	l.Flush()
}
