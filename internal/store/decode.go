package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

// EncodeDataset writes ds in the dataset file format: indented JSON with a
// final newline. Encoding what DecodeDataset read gives the same bytes back.
func EncodeDataset(w io.Writer, ds Dataset) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ds)
}

// DecodeDataset reads a dataset file strictly: an unknown field or a value
// of the wrong type is an error naming the record and the field, e.g.
// `integrations[3]: field "active": want boolean, got string`. It checks
// the format only; Load checks the content.
func DecodeDataset(raw []byte) (Dataset, error) {
	var top struct {
		Organizations []json.RawMessage `json:"organizations"`
		Environments  []json.RawMessage `json:"environments"`
		Integrations  []json.RawMessage `json:"integrations"`
	}
	if err := strictDecode(raw, &top); err != nil {
		return Dataset{}, fmt.Errorf("dataset: %w", err)
	}
	ds := Dataset{
		Organizations: make([]Organization, len(top.Organizations)),
		Environments:  make([]Environment, len(top.Environments)),
		Integrations:  make([]Integration, len(top.Integrations)),
	}
	for i, r := range top.Organizations {
		if err := strictDecode(r, &ds.Organizations[i]); err != nil {
			return Dataset{}, fmt.Errorf("organizations[%d]: %w", i, err)
		}
	}
	for i, r := range top.Environments {
		if err := strictDecode(r, &ds.Environments[i]); err != nil {
			return Dataset{}, fmt.Errorf("environments[%d]: %w", i, err)
		}
	}
	for i, r := range top.Integrations {
		if err := checkTimes(r, "createdAt", "updatedAt", "deletedAt"); err != nil {
			return Dataset{}, fmt.Errorf("integrations[%d]: %w", i, err)
		}
		if err := strictDecode(r, &ds.Integrations[i]); err != nil {
			return Dataset{}, fmt.Errorf("integrations[%d]: %w", i, err)
		}
	}
	return ds, nil
}

// strictDecode decodes one JSON value with numbers kept exact, refusing
// unknown fields and trailing data, with errors that name the field.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("field %q: want %s, got %s", typeErr.Field, jsonKind(typeErr.Type), typeErr.Value)
	case errors.As(err, &typeErr):
		return fmt.Errorf("want %s, got %s", jsonKind(typeErr.Type), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("not valid JSON at byte %d: %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF):
		return errors.New("empty: want a JSON object")
	}
	return err
}

// jsonKind names a Go type the way a JSON author thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		if t.String() == "time.Time" {
			return "a time string"
		}
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// checkTimes names the field of a bad timestamp, which encoding/json's own
// error does not.
func checkTimes(raw []byte, fields ...string) error {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil // strictDecode reports it
	}
	for _, f := range fields {
		v, ok := m[f]
		if !ok {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("field %q: want a time string like 2026-01-31T12:00:00.000Z, got %s", f, v)
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Errorf("field %q: %q is not an RFC 3339 time like 2026-01-31T12:00:00.000Z", f, s)
		}
	}
	return nil
}
