package store

import (
	"encoding/json"
	"reflect"
	"time"
)

// Time is a record's time: UTC at millisecond precision, written as Novu
// writes it (ISO 8601 with milliseconds, "2026-01-31T12:00:00.000Z") in
// answers and dataset files alike, and read from any RFC 3339 time with an
// error that names the field it is in. It lets one struct per record be the
// file's view and the wire's base (see internal/api's DTOs).
type Time struct{ time.Time }

// TimeLayout is Novu's time format.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// At returns t as a record's Time.
func At(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// String is Novu's format.
func (t Time) String() string { return t.UTC().Format(TimeLayout) }

// MarshalJSON writes Novu's format.
func (t Time) MarshalJSON() ([]byte, error) { return []byte(`"` + t.String() + `"`), nil }

var timeType = reflect.TypeFor[time.Time]()

// UnmarshalJSON reads an RFC 3339 time. Its errors are *json.UnmarshalTypeError,
// to which encoding/json adds the field's name.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: string(b) + " (want a time string like 2026-01-31T12:00:00.000Z)", Type: timeType}
	}
	parsed, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: `"` + s + `", not an RFC 3339 time like 2026-01-31T12:00:00.000Z`, Type: timeType}
	}
	t.Time = parsed.UTC()
	return nil
}
