package store

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Object is a JSON object (credentials, configurations) kept as its compact
// encoded text. A Go string is immutable, so copies of a record share it
// safely; and unlike a decoded map it holds no pointers, which keeps a
// large store small and cheap for the garbage collector to scan. The empty
// Object is {}.
type Object string

// Array is a JSON array (conditions) kept the same way. The empty Array is [].
type Array string

// ObjectOf encodes a decoded JSON object; nil or empty gives the empty Object.
func ObjectOf(m map[string]any) Object {
	if len(m) == 0 {
		return ""
	}
	raw, err := json.Marshal(m)
	if err != nil { // decoded JSON always encodes; keep the invariant anyway
		return ""
	}
	return Object(raw)
}

// ArrayOf encodes a decoded JSON array; nil or empty gives the empty Array.
func ArrayOf(a []any) Array {
	if len(a) == 0 {
		return ""
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return ""
	}
	return Array(raw)
}

// IsEmpty reports whether the object has no keys.
func (o Object) IsEmpty() bool { return o == "" || o == "{}" }

// Map decodes the object (numbers as json.Number); the empty Object gives
// an empty map.
func (o Object) Map() map[string]any {
	m := map[string]any{}
	if !o.IsEmpty() {
		dec := json.NewDecoder(bytes.NewReader([]byte(o)))
		dec.UseNumber()
		_ = dec.Decode(&m) // o was encoded from a map
	}
	return m
}

// Values decodes the array; the empty Array gives an empty slice.
func (a Array) Values() []any {
	v := []any{}
	if a != "" && a != "[]" {
		dec := json.NewDecoder(bytes.NewReader([]byte(a)))
		dec.UseNumber()
		_ = dec.Decode(&v)
	}
	return v
}

// IsEmpty reports whether the array has no elements.
func (a Array) IsEmpty() bool { return a == "" || a == "[]" }

// MarshalJSON writes the object's text, {} when empty.
func (o Object) MarshalJSON() ([]byte, error) {
	if o.IsEmpty() {
		return []byte("{}"), nil
	}
	return []byte(o), nil
}

// MarshalJSON writes the array's text, [] when empty.
func (a Array) MarshalJSON() ([]byte, error) {
	if a.IsEmpty() {
		return []byte("[]"), nil
	}
	return []byte(a), nil
}

// UnmarshalJSON keeps a JSON object's compact text; null is the empty Object.
func (o *Object) UnmarshalJSON(b []byte) error {
	s, err := compactOf(b, '{', "want an object")
	*o = Object(s)
	return err
}

// UnmarshalJSON keeps a JSON array's compact text; null is the empty Array.
func (a *Array) UnmarshalJSON(b []byte) error {
	s, err := compactOf(b, '[', "want an array")
	*a = Array(s)
	return err
}

func compactOf(b []byte, open byte, want string) (string, error) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return "", nil
	}
	if len(b) == 0 || b[0] != open {
		return "", errors.New(want)
	}
	if !bytes.ContainsAny(b, " \t\r\n") {
		return string(b), nil // compact already (the decoder checked it is JSON)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return "", err
	}
	return buf.String(), nil
}
