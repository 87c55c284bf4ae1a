package main

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/novumock/novumock/internal/api"
)

// The log line of a request, written as slog's own handlers write its
// record (api.RequestLine.Record), byte for byte, for the lines every
// request has at the default level (method, path, status and duration,
// quoted as slog quotes them in text); any other line is left to slog.
// A request's line handed over as facts and written here costs about 6,600
// instructions fewer than a record formatted by slog's text handler
// (scripts/instrcount, docs/performance.md).
// TestRequestLine_AsSlogWrites holds it to slog's bytes.

// logFormat is which of slog's handlers a line must match.
type logFormat int

const (
	anyFormat  logFormat = iota // a handler with attributes or groups: slog's alone
	textFormat                  // slog.TextHandler
	jsonFormat                  // slog.JSONHandler
)

// appendRequestLine appends l's line in format f, or reports false when
// slog must write it: another handler, debug's attributes, text that slog
// would escape, a zero time (slog leaves it out) or a year RFC 3339 cannot
// write in four digits (slog's JSON handler refuses it).
func appendRequestLine(b []byte, l api.RequestLine, f logFormat) ([]byte, bool) {
	if f == anyFormat || l.EnvironmentID != "" || l.Error != "" || l.Time.IsZero() {
		return b, false
	}
	if y := l.Time.Year(); y < 0 || y > 9999 {
		return b, false
	}
	method, path := howWritten(l.Method, f), howWritten(l.Path, f)
	if method == bySlog || path == bySlog {
		return b, false
	}
	level := l.Level.String()
	if f == jsonFormat {
		b = l.Time.AppendFormat(append(b, `{"time":"`...), time.RFC3339Nano)
		b = append(append(append(b, `","level":"`...), level...), `","msg":"request","method":"`...)
		b = append(append(append(b, l.Method...), `","path":"`...), l.Path...)
		b = strconv.AppendInt(append(b, `","status":`...), int64(l.Status), 10)
		return append(append(append(b, `,"duration":"`...), l.Duration.String()...), "\"}\n"...), true
	}
	b = appendMillis(append(b, "time="...), l.Time)
	b = append(append(append(b, " level="...), level...), " msg=request method="...)
	b = append(appendValue(b, l.Method, method), " path="...)
	b = strconv.AppendInt(append(appendValue(b, l.Path, path), " status="...), int64(l.Status), 10)
	return append(append(append(b, " duration="...), l.Duration.String()...), '\n'), true
}

// How a value is written in a line.
type writing int

const (
	bySlog  writing = iota // escaped, or not text: slog's alone
	asIs                   // as it is
	inQuote                // between double quotes, as it is (text only)
)

// howWritten says how the format's handler writes s: as it is when it is
// printable and holds no quote or backslash (nor, in text, a space or '=',
// for which the text handler quotes it, escaping nothing else); anything
// else, escaped, is slog's (log/slog's needsQuoting and
// appendEscapedJSONString; JSON also escapes U+2028 and U+2029).
func howWritten(s string, f logFormat) writing {
	if s == "" {
		return bySlog // the text handler quotes an empty value
	}
	how := asIs
	for i := 0; i < len(s); i++ { // ASCII, as most paths are, byte by byte
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			if !printable(s[i:]) {
				return bySlog
			}
			return how
		case c < ' ' || c == 0x7f || c == '"' || c == '\\':
			return bySlog
		case (c == ' ' || c == '=') && f == textFormat:
			how = inQuote
		}
	}
	return how
}

// printable reports whether the rest of a string, past its first non-ASCII
// byte, is written unescaped in text and JSON alike: valid UTF-8,
// printable, no space, none of the characters escaped in either.
func printable(s string) bool {
	for _, r := range s {
		switch {
		case r < ' ' || r == 0x7f, r == '"', r == '\\', r == ' ', r == '=':
			return false
		case r < utf8.RuneSelf:
		case r == utf8.RuneError, unicode.IsSpace(r), !unicode.IsPrint(r), r == '\u2028', r == '\u2029':
			return false
		}
	}
	return true
}

// appendValue appends s as howWritten said.
func appendValue(b []byte, s string, how writing) []byte {
	if how == inQuote {
		return append(append(append(b, '"'), s...), '"')
	}
	return append(b, s...)
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
