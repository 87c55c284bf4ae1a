package validate

// Body checks the fields of one decoded JSON object body against a DTO, the
// way class-validator does: a field that is absent or null is not given
// (IsOptional), and fields the DTO does not declare are ignored. Each check
// returns the value when it is given and valid, and records a message
// otherwise.
type Body struct {
	fields map[string]any
	Messages
}

// NewBody starts checking a decoded body.
func NewBody(fields map[string]any) *Body { return &Body{fields: fields} }

// Value returns a field that is present and not null.
func (b *Body) Value(field string) (any, bool) {
	v, ok := b.fields[field]
	return v, ok && v != nil
}

// String checks an optional string field.
func (b *Body) String(field string) *string {
	v, ok := b.Value(field)
	if !ok {
		return nil
	}
	s, isString := v.(string)
	if !isString {
		b.Add(IsString(field))
		return nil
	}
	return &s
}

// RequiredString checks a string field that must be given and, if
// notEmpty, not be "".
func (b *Body) RequiredString(field string, notEmpty bool) *string {
	if _, ok := b.Value(field); !ok {
		b.Add(Defined(field), IsString(field))
		return nil
	}
	s := b.String(field)
	if s != nil && notEmpty && *s == "" {
		b.Add(NotEmpty(field))
		return nil
	}
	return s
}

// Bool checks an optional boolean field.
func (b *Body) Bool(field string) *bool {
	v, ok := b.Value(field)
	if !ok {
		return nil
	}
	x, isBool := v.(bool)
	if !isBool {
		b.Add(IsBoolean(field))
		return nil
	}
	return &x
}

// MongoID checks an optional ObjectId field and returns it in lower case.
func (b *Body) MongoID(field string) *string {
	v, ok := b.Value(field)
	if !ok {
		return nil
	}
	s, isString := v.(string)
	if !isString || !ObjectID(s) {
		b.Add(IsMongoID(field))
		return nil
	}
	s = NormalizeID(s)
	return &s
}

// Enum checks an enum field; a required one that is missing gets
// IsDefined's message as well.
func (b *Body) Enum(field string, allowed []string, required bool) *string {
	v, ok := b.Value(field)
	if !ok {
		if required {
			b.Add(Defined(field), Enum(field, allowed))
		}
		return nil
	}
	if s, isString := v.(string); isString {
		for _, a := range allowed {
			if s == a {
				return &s
			}
		}
	}
	b.Add(Enum(field, allowed))
	return nil
}

// Object checks an optional object field; notObject is the message when it
// is something else (DTOs word it differently). ok is false when the field
// is not given or not an object.
func (b *Body) Object(field, notObject string) (m map[string]any, ok bool) {
	v, given := b.Value(field)
	if !given {
		return nil, false
	}
	m, ok = v.(map[string]any)
	if !ok {
		b.Add(notObject)
	}
	return m, ok
}

// Array checks an optional array field. ok is false when the field is not
// given or not an array.
func (b *Body) Array(field string) (a []any, ok bool) {
	v, given := b.Value(field)
	if !given {
		return nil, false
	}
	a, ok = v.([]any)
	if !ok {
		b.Add(IsArray(field))
	}
	return a, ok
}
