package validate

import "strings"

// ObjectID reports whether s has the shape class-validator's IsMongoId
// accepts: 24 hexadecimal digits, in either case.
func ObjectID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// NormalizeID lowercases an ObjectId, as MongoDB's cast does, so that an id
// typed in upper case finds the same record.
func NormalizeID(s string) string { return strings.ToLower(s) }

// MaxAPIKeyLength bounds an API key.
const MaxAPIKeyLength = 256

// APIKey reports whether key may be an API key: 1 to MaxAPIKeyLength
// printable ASCII characters, no space. Every way a key enters the mock
// (a request's Authorization header that would make a tenant, the control
// plane, a dataset) applies this one rule, so every key can be written to
// a header, a log line and a dataset file and read back unchanged.
func APIKey(key string) bool {
	if key == "" || len(key) > MaxAPIKeyLength {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] > '~' {
			return false
		}
	}
	return true
}

// APIKeyRule says what APIKey accepts, for messages.
const APIKeyRule = "an API key is 1 to 256 printable ASCII characters without spaces"
