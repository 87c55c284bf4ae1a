package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// The dataset file: a JSON object with the arrays "organizations",
// "environments", "integrations", "channelConnections",
// "channelEndpoints" and "subscribers", one record per line. The last three
// are newer: a file without them holds none, and they are always written. Records are
// written compact (a stored object is never re-indented, so nothing grows on
// the way out, however it is nested) and the file stays readable and
// diff-friendly.

// EncodeDataset writes ds in the dataset file format. Encoding what
// DecodeDataset read gives the same bytes back.
func EncodeDataset(w io.Writer, ds Dataset) error {
	return encodeSections(w, ds, len(ds.Integrations), func(i int) any { return ds.Integrations[i] })
}

// encodeSections writes a dataset whose integrations are given apart (n of
// them, the i-th from integration), one record at a time.
func encodeSections(w io.Writer, ds Dataset, n int, integration func(int) any) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n")
	sections := []struct {
		name string
		n    int
		at   func(int) any
	}{
		{"organizations", len(ds.Organizations), func(i int) any { return ds.Organizations[i] }},
		{"environments", len(ds.Environments), func(i int) any { return ds.Environments[i] }},
		{"integrations", n, integration},
		{"channelConnections", len(ds.ChannelConnections), func(i int) any { return ds.ChannelConnections[i] }},
		{"channelEndpoints", len(ds.ChannelEndpoints), func(i int) any { return ds.ChannelEndpoints[i] }},
		{"subscribers", len(ds.Subscribers), func(i int) any { return ds.Subscribers[i] }},
	}
	for si, sec := range sections {
		fmt.Fprintf(bw, "  %q: [", sec.name)
		for i := range sec.n {
			raw, err := json.Marshal(sec.at(i))
			if err != nil {
				return fmt.Errorf("%s[%d]: %w", sec.name, i, err)
			}
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(raw)
		}
		if sec.n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteByte(']')
		if si < len(sections)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// DecodeDataset reads a dataset file strictly: organizations, environments
// and integrations must be there (the channel arrays may be left out), and
// an unknown field or a value of the wrong type is an error
// naming the record and the field, e.g.
// `integrations[3]: field "active": want a boolean, got string`. It reads
// one record at a time, so decoding costs about what the records hold. It
// checks the format only; Load checks the content.
func DecodeDataset(r io.Reader) (Dataset, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{', "a dataset is a JSON object with organizations, environments and integrations"); err != nil {
		return Dataset{}, err
	}
	var ds Dataset
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return Dataset{}, describeJSONError(err)
		}
		name, _ := tok.(string)
		if seen[name] {
			return Dataset{}, fmt.Errorf("%q appears twice", name)
		}
		seen[name] = true
		switch name {
		case "organizations":
			err = decodeArray(dec, name, &ds.Organizations)
		case "environments":
			err = decodeArray(dec, name, &ds.Environments)
		case "integrations":
			err = decodeIntegrations(dec, &ds.Integrations)
		case "channelConnections":
			err = decodeArray(dec, name, &ds.ChannelConnections)
		case "channelEndpoints":
			err = decodeArray(dec, name, &ds.ChannelEndpoints)
		case "subscribers":
			err = decodeArray(dec, name, &ds.Subscribers)
		default:
			err = fmt.Errorf("unknown field %q (want organizations, environments, integrations, channelConnections, channelEndpoints and subscribers)", name)
		}
		if err != nil {
			return Dataset{}, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return Dataset{}, describeJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Dataset{}, errors.New("unexpected data after the dataset")
	}
	for _, name := range []string{"organizations", "environments", "integrations"} {
		if !seen[name] {
			return Dataset{}, fmt.Errorf("%q is missing: a dataset has organizations, environments and integrations (arrays, which may be empty)", name)
		}
	}
	if ds.ChannelConnections == nil {
		ds.ChannelConnections = []Connection{}
	}
	if ds.ChannelEndpoints == nil {
		ds.ChannelEndpoints = []Endpoint{}
	}
	if ds.Subscribers == nil {
		ds.Subscribers = []Subscriber{}
	}
	return ds, nil
}

func expectDelim(dec *json.Decoder, want json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty: " + what)
		}
		return describeJSONError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("got %v: %s", describeToken(tok), what)
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		return fmt.Sprintf("%q", tok)
	}
	return fmt.Sprintf("%T %v", tok, tok)
}

// decodeArray reads one array of records strictly into out, naming the
// record of any error.
func decodeArray[T any](dec *json.Decoder, name string, out *[]T) error {
	if err := expectDelim(dec, '[', name+" must be an array"); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	*out = []T{}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s[%d]: %w", name, i, describeJSONError(err))
		}
		var v T
		if err := strictDecode(raw, &v); err != nil {
			return fmt.Errorf("%s[%d]: %w", name, i, err)
		}
		*out = append(*out, v)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return fmt.Errorf("%s: %w", name, describeJSONError(err))
	}
	return nil
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
		return fmt.Errorf("not valid JSON at byte %d: %w", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends too early")
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

// decodeIntegrations reads the integrations array straight from the
// file's decoder, one pass per record: a file of a hundred thousand
// records is read in well under a second.
func decodeIntegrations(dec *json.Decoder, out *[]Integration) error {
	if err := expectDelim(dec, '[', "integrations must be an array"); err != nil {
		return fmt.Errorf("integrations: %w", err)
	}
	*out = []Integration{}
	dec.DisallowUnknownFields()
	for i := 0; dec.More(); i++ {
		var it Integration
		if err := dec.Decode(&it); err != nil {
			return fmt.Errorf("integrations[%d]: %w", i, describeJSONError(err))
		}
		*out = append(*out, it)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return fmt.Errorf("integrations: %w", describeJSONError(err))
	}
	return nil
}
