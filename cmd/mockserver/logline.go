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
// Handed over as facts and written here, a request's line costs about
// 7,000 instructions fewer than a record formatted by slog's text handler
// (scripts/instrcount, docs/performance.md: 7% of a list request).
// TestRequestLine_AsSlogWrites holds it to slog's bytes.

// logFormat is which of slog's handlers a line must match.
type logFormat int

const (
	anyFormat  logFormat = iota // a handler with attributes or groups: slog's alone
	textFormat                  // slog.TextHandler
	jsonFormat                  // slog.JSONHandler
)

// appendRequestLine appends l's line in format f, or reports false when
// slog must write it (another handler, debug's attributes, text that slog
// would quote or escape). c keeps the time's text from line to line.
func appendRequestLine(b []byte, l api.RequestLine, f logFormat, c *lineClock) ([]byte, bool) {
	if f == anyFormat || l.EnvironmentID != "" || l.Error != "" || l.Duration < 0 || !c.set(l.Time) {
		return b, false
	}
	method, path := howWritten(l.Method, f), howWritten(l.Path, f)
	if method == bySlog || path == bySlog {
		return b, false
	}
	level := l.Level.String()
	if f == jsonFormat {
		b = c.appendNanos(append(b, `{"time":"`...), l.Time)
		b = append(append(append(b, `","level":"`...), level...), `","msg":"request","method":"`...)
		b = append(append(append(b, l.Method...), `","path":"`...), l.Path...)
		b = strconv.AppendInt(append(b, `","status":`...), int64(l.Status), 10)
		return append(appendDuration(append(b, `,"duration":"`...), l.Duration), "\"}\n"...), true
	}
	b = c.appendMillis(append(b, "time="...), l.Time)
	b = append(append(append(b, " level="...), level...), " msg=request method="...)
	b = append(appendValue(b, l.Method, method), " path="...)
	b = strconv.AppendInt(append(appendValue(b, l.Path, path), " status="...), int64(l.Status), 10)
	return append(appendDuration(append(b, " duration="...), l.Duration), '\n'), true
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
		switch asciiClass[s[i]] {
		case plainByte:
		case quotedByte:
			if f == textFormat {
				how = inQuote
			}
		case escapedByte:
			return bySlog
		default: // past ASCII
			if !printable(s[i:]) {
				return bySlog
			}
			return how
		}
	}
	return how
}

// The classes of bytes for howWritten.
const (
	plainByte   = iota // written as it is
	quotedByte         // ' ' and '=': quoted in text
	escapedByte        // a control character, '"', '\\'
	otherByte          // not ASCII
)

// asciiClass is each byte's class, so that a path costs a load per byte.
var asciiClass = func() (t [256]byte) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = otherByte
		case c < ' ' || c == 0x7f || c == '"' || c == '\\':
			t[c] = escapedByte
		case c == ' ' || c == '=':
			t[c] = quotedByte
		}
	}
	return t
}()

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

// appendDuration appends d as time.Duration's String writes it, without
// making a string: "0s", "42ns", "1.234ms", "12µs", "1m2.5s", "1h0m0s".
func appendDuration(b []byte, d time.Duration) []byte {
	switch {
	case d <= 0:
		return append(b, d.String()...) // "0s"; never negative here
	case d < time.Microsecond:
		return append(strconv.AppendInt(b, int64(d), 10), "ns"...)
	case d < time.Millisecond:
		return append(appendDecimal(b, int64(d), 3), "µs"...)
	case d < time.Second:
		return append(appendDecimal(b, int64(d), 6), "ms"...)
	}
	if h := d / time.Hour; h > 0 {
		b = append(strconv.AppendInt(b, int64(h), 10), 'h')
	}
	if d >= time.Minute {
		b = append(strconv.AppendInt(b, int64(d%time.Hour/time.Minute), 10), 'm')
	}
	return append(appendDecimal(b, int64(d%time.Minute), 9), 's')
}

// appendDecimal appends v/10^places in decimal: its fraction without
// trailing zeros, and no point when there is none.
func appendDecimal(b []byte, v int64, places int) []byte {
	unit := int64(1)
	for range places {
		unit *= 10
	}
	b = strconv.AppendInt(b, v/unit, 10)
	frac := v % unit
	if frac == 0 {
		return b
	}
	b = append(b, '.')
	for digit := unit / 10; digit > frac; digit /= 10 {
		b = append(b, '0') // the fraction's leading zeros
	}
	for frac%10 == 0 {
		frac /= 10
	}
	return strconv.AppendInt(b, frac, 10)
}

// lineClock writes a line's time as slog does (RFC 3339, in the time's
// own zone), formatting the date, the time to the second and the zone once
// a second: every line of that second shares them.
type lineClock struct {
	sec  int64
	loc  *time.Location
	ok   bool   // the year has four digits (slog's JSON handler refuses any other)
	buf  []byte // head and zone
	head []byte // "2006-01-02T15:04:05"
	zone []byte // "Z" or "+01:00"
}

// set makes the clock's second t's; it reports false for a time RFC 3339
// cannot write, whose line is left to slog.
func (c *lineClock) set(t time.Time) bool {
	if s := t.Unix(); s != c.sec || t.Location() != c.loc || c.buf == nil {
		c.sec, c.loc = s, t.Location()
		if y := t.Year(); y < 0 || y > 9999 {
			c.ok = false
			return false
		}
		c.buf = t.Truncate(time.Second).AppendFormat(c.buf[:0], time.RFC3339)
		const headLen = len("2006-01-02T15:04:05")
		c.ok, c.head, c.zone = true, c.buf[:headLen], c.buf[headLen:]
	}
	return c.ok
}

// appendMillis is slog's text time, of the clock's second: RFC 3339 with
// exactly three digits of milliseconds (log/slog's appendRFC3339Millis).
func (c *lineClock) appendMillis(b []byte, t time.Time) []byte {
	ms := t.Nanosecond() / 1e6
	b = append(append(b, c.head...), '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	return append(b, c.zone...)
}

// appendNanos is slog's JSON time, of the clock's second: RFC 3339 with
// the nanoseconds, trailing zeros cut (time.RFC3339Nano).
func (c *lineClock) appendNanos(b []byte, t time.Time) []byte {
	b = append(b, c.head...)
	if ns := t.Nanosecond(); ns != 0 {
		n := len(b)
		b = appendDecimal(b, int64(ns), 9) // "0.5"
		b = append(b[:n], b[n+1:]...)      // ".5"
	}
	return append(b, c.zone...)
}
