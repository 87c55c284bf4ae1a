package main

import (
	"log/slog"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// The log line of a request, written as slog's own handlers write it, byte
// for byte, for the shape every request's record has (internal/api's
// logRequest: message "request", then method, path, status and duration,
// in plain text); any other record is left to slog. slog's text handler
// spent about 9,000 instructions on each such line, 40% of what the mock
// then added to a bare server's list answer (scripts/instrcount,
// docs/performance.md); this spends about 2,000.
// TestRequestLine_AsSlogWrites holds it to slog's bytes.

// logFormat is which of slog's handlers a line must match.
type logFormat int

const (
	anyFormat  logFormat = iota // a handler with attributes or groups: slog's alone
	textFormat                  // slog.TextHandler
	jsonFormat                  // slog.JSONHandler
)

// appendRequestLine appends r's line in format f, or reports false when r
// is not a plain request record.
func appendRequestLine(b []byte, r slog.Record, f logFormat) ([]byte, bool) {
	if f == anyFormat || r.Message != "request" || r.NumAttrs() != 4 {
		return b, false
	}
	var attrs [4]slog.Attr
	i := 0
	r.Attrs(func(a slog.Attr) bool { attrs[i] = a; i++; return true })
	method, path, status, duration := attrs[0], attrs[1], attrs[2], attrs[3]
	if method.Key != "method" || path.Key != "path" || status.Key != "status" || duration.Key != "duration" ||
		method.Value.Kind() != slog.KindString || path.Value.Kind() != slog.KindString ||
		status.Value.Kind() != slog.KindInt64 || duration.Value.Kind() != slog.KindString {
		return b, false
	}
	m, p, d := method.Value.String(), path.Value.String(), duration.Value.String()
	if !plain(m, f) || !plain(p, f) || !plain(d, f) {
		return b, false
	}
	level := r.Level.String()
	if f == jsonFormat {
		b = append(b, `{"time":"`...)
		b = r.Time.AppendFormat(b, time.RFC3339Nano)
		b = append(append(append(b, `","level":"`...), level...), `","msg":"request","method":"`...)
		b = append(append(append(b, m...), `","path":"`...), p...)
		b = strconv.AppendInt(append(b, `","status":`...), status.Value.Int64(), 10)
		return append(append(append(b, `,"duration":"`...), d...), "\"}\n"...), true
	}
	b = appendMillis(append(b, "time="...), r.Time)
	b = append(append(append(b, " level="...), level...), " msg=request method="...)
	b = append(append(append(b, m...), " path="...), p...)
	b = strconv.AppendInt(append(b, " status="...), status.Value.Int64(), 10)
	return append(append(append(b, " duration="...), d...), '\n'), true
}

// plain reports whether s is written as it is, unquoted and unescaped, by
// the format's handler: printable characters, without a space, a quote, a
// backslash or, in text, '=' (log/slog's needsQuoting and
// appendEscapedJSONString; JSON also escapes U+2028 and U+2029).
func plain(s string, f logFormat) bool {
	if s == "" {
		return false // the text handler quotes an empty value
	}
	for _, r := range s {
		switch {
		case r <= ' ' || r == 0x7f, r == '"', r == '\\':
			return false
		case r == '=' && f == textFormat:
			return false
		case r < utf8.RuneSelf:
		case r == utf8.RuneError, unicode.IsSpace(r), !unicode.IsPrint(r), r == '\u2028', r == '\u2029':
			return false
		}
	}
	return true
}

// appendMillis is slog's text time: RFC 3339 with exactly three digits of
// milliseconds (log/slog's appendRFC3339Millis).
func appendMillis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...) // drop the fourth digit
}
