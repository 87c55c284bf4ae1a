package main

import (
	"io"
	"log/slog"
)

// logs are the server's two loggers over one sink, which formats their
// records off the request path: log, at the level the user chose, in the
// format they chose (slog's text or JSON, request lines written as slog's
// handlers write them, see logline.go);
// and start, the same but printing at any level, for the start-up lines a
// user needs whatever they asked to hide (where it listens, the keys).
type logs struct {
	sink       *logSink
	log, start *slog.Logger
}

func newLogs(w io.Writer, cfg config) *logs {
	sink := newLogSink(w)
	handler := func(level slog.Level) slog.Handler {
		opts := &slog.HandlerOptions{Level: level}
		if cfg.logFormat == "json" {
			return offPath{sink: sink, h: slog.NewJSONHandler(sink, opts), f: jsonFormat}
		}
		return offPath{sink: sink, h: slog.NewTextHandler(sink, opts), f: textFormat}
	}
	return &logs{sink: sink, log: slog.New(handler(cfg.logLevel)), start: slog.New(handler(slog.LevelDebug))}
}

func (l *logs) flush() { l.sink.Flush() }
func (l *logs) close() { l.sink.Close() }
