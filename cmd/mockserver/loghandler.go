package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// lineHandler is a lean slog.Handler for the mock's flat log lines, in
// slog's text or JSON layout. The profile of a loaded server showed the
// standard handlers' generality (groups, ReplaceAttr, reflection) costing
// a twentieth of all CPU on the one-line-per-request path; this one
// formats with strconv into a pooled buffer and writes each line once.
type lineHandler struct {
	w     io.Writer
	mu    *sync.Mutex
	level slog.Leveler
	json  bool
	attrs []slog.Attr // from WithAttrs
}

func newLineHandler(w io.Writer, level slog.Leveler, json bool) *lineHandler {
	return &lineHandler{w: w, mu: &sync.Mutex{}, level: level, json: json}
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr{}, h.attrs...), as...)
	return &c
}

// WithGroup is not used by the mock; a group's attributes are written with
// the group name as a prefix, as slog's text handler does.
func (h *lineHandler) WithGroup(name string) slog.Handler {
	return &groupHandler{h: h, prefix: name + "."}
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	if h.json {
		b = append(b, `{"time":"`...)
		b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"`...)
		b = append(b, r.Level.String()...)
		b = append(b, `","msg":`...)
		b = appendJSONString(b, r.Message)
	} else {
		b = append(b, "time="...)
		b = appendTextTime(b, r.Time)
		b = append(b, " level="...)
		b = append(b, r.Level.String()...)
		b = append(b, " msg="...)
		b = appendTextString(b, r.Message)
	}
	for _, a := range h.attrs {
		b = h.appendAttr(b, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		b = h.appendAttr(b, "", a)
		return true
	})
	if h.json {
		b = append(b, '}')
	}
	b = append(b, '\n')
	h.mu.Lock()
	_, err := h.w.Write(b)
	h.mu.Unlock()
	*bp = b
	bufPool.Put(bp)
	return err
}

func (h *lineHandler) appendAttr(b []byte, prefix string, a slog.Attr) []byte {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			b = h.appendAttr(b, prefix+a.Key+".", g)
		}
		return b
	}
	key := prefix + a.Key
	if h.json {
		b = append(b, ',')
		b = appendJSONString(b, key)
		b = append(b, ':')
	} else {
		b = append(b, ' ')
		b = append(b, key...)
		b = append(b, '=')
	}
	switch v.Kind() {
	case slog.KindString:
		if h.json {
			return appendJSONString(b, v.String())
		}
		return appendTextString(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindFloat64:
		return strconv.AppendFloat(b, v.Float64(), 'g', -1, 64)
	case slog.KindDuration:
		if h.json { // as slog's JSON handler: nanoseconds
			return strconv.AppendInt(b, int64(v.Duration()), 10)
		}
		return append(b, v.Duration().String()...)
	case slog.KindTime:
		if h.json {
			return appendJSONString(b, v.Time().Format(time.RFC3339Nano))
		}
		return v.Time().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	default:
		if h.json {
			raw, err := json.Marshal(v.Any())
			if err != nil {
				return appendJSONString(b, fmt.Sprint(v.Any()))
			}
			return append(b, raw...)
		}
		return appendTextString(b, fmt.Sprint(v.Any()))
	}
}

// textSecond caches the formatted second of the last text time: lines come
// thousands a second, and only their milliseconds differ.
var textSecond atomic.Pointer[secondPrefix]

type secondPrefix struct {
	unix   int64
	loc    *time.Location
	prefix string // "2006-01-02T15:04:05."
	zone   string // "Z" or "+01:00"
}

// appendTextTime appends t as slog's text handler writes it:
// 2006-01-02T15:04:05.000Z07:00.
func appendTextTime(b []byte, t time.Time) []byte {
	p := textSecond.Load()
	if p == nil || p.unix != t.Unix() || p.loc != t.Location() {
		full := t.Format("2006-01-02T15:04:05.000Z07:00")
		p = &secondPrefix{unix: t.Unix(), loc: t.Location(), prefix: full[:20], zone: full[23:]}
		textSecond.Store(p)
	}
	ms := t.Nanosecond() / 1e6
	b = append(b, p.prefix...)
	b = append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	return append(b, p.zone...)
}

// appendTextString quotes a value as slog's text handler does: only when it
// is empty or holds a space, '=', '"' or a character that is not printable.
func appendTextString(b []byte, s string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	for _, r := range s {
		if r <= ' ' || r == '=' || r == '"' || r == utf8.RuneError || r == 0x7f {
			return strconv.AppendQuote(b, s)
		}
	}
	return append(b, s...)
}

func appendJSONString(b []byte, s string) []byte {
	raw, _ := json.Marshal(s) // a string always marshals
	return append(b, raw...)
}

// groupHandler prefixes the keys of a group.
type groupHandler struct {
	h      *lineHandler
	prefix string
}

func (g *groupHandler) Enabled(ctx context.Context, l slog.Level) bool { return g.h.Enabled(ctx, l) }
func (g *groupHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = slog.Attr{Key: g.prefix + a.Key, Value: a.Value}
	}
	return &groupHandler{h: g.h.WithAttrs(out).(*lineHandler), prefix: g.prefix}
}
func (g *groupHandler) WithGroup(name string) slog.Handler {
	return &groupHandler{h: g.h, prefix: g.prefix + name + "."}
}
func (g *groupHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(slog.Attr{Key: g.prefix + a.Key, Value: a.Value})
		return true
	})
	return g.h.Handle(ctx, out)
}
