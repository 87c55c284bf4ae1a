package validate

import "errors"

// Bounds on what one request or record may hold. Novu itself stops a body
// at 100 kB (body-parser's default); the mock also bounds nesting, so a
// value that is accepted can be stored, encoded and exported without
// growing, and no decoder recurses thousands of levels deep.
const (
	// MaxBodyBytes is Novu's request body limit: body-parser's 100kb.
	MaxBodyBytes = 102400
	// MaxDepth is how deeply objects and arrays may nest in a request body
	// or a stored value. Novu's deepest DTO (conditions' children) needs 4.
	MaxDepth = 32
	// MaxTextLength bounds names and identifiers, in bytes.
	MaxTextLength = 1024
	// MaxRecordBytes bounds one stored integration's JSON: what one body
	// can carry.
	MaxRecordBytes = MaxBodyBytes
)

// ErrTooDeep is Depth's error.
var ErrTooDeep = errors.New("JSON nested more than 32 levels deep")

// Depth checks that no object or array in the JSON text nests more than
// MaxDepth levels. It scans the bytes without decoding (strings are
// skipped, escapes included), so it is cheap enough to run on every body
// before the decoder sees it.
func Depth(raw []byte) error {
	depth := 0
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if inString {
			switch c {
			case '\\':
				i++ // the escaped byte cannot end the string
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return ErrTooDeep
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
