package validate

import (
	"strconv"
	"strings"
)

// Messages collects the constraint messages of one value, in the order its
// fields are checked, as class-validator reports them.
type Messages []string

// Add appends messages.
func (m *Messages) Add(msgs ...string) { *m = append(*m, msgs...) }

// Enum is class-validator's IsEnum message.
func Enum(field string, allowed []string) string {
	return field + " must be one of the following values: " + strings.Join(allowed, ", ")
}

// Defined is class-validator's IsDefined message.
func Defined(field string) string { return field + " should not be null or undefined" }

// NotEmpty is class-validator's IsNotEmpty message.
func NotEmpty(field string) string { return field + " should not be empty" }

// IsString is class-validator's IsString message.
func IsString(field string) string { return field + " must be a string" }

// IsBoolean is class-validator's IsBoolean message.
func IsBoolean(field string) string { return field + " must be a boolean value" }

// IsObject is class-validator's IsObject message.
func IsObject(field string) string { return field + " must be an object" }

// IsArray is class-validator's IsArray message.
func IsArray(field string) string { return field + " must be an array" }

// IsMongoID is class-validator's IsMongoId message.
func IsMongoID(field string) string { return field + " must be a mongodb id" }

// Nested is class-validator's ValidateNested message for a value that is
// neither an object nor an array.
func Nested(field string) string {
	return "nested property " + field + " must be either object or array"
}

// MaxLength is class-validator's MaxLength message.
func MaxLength(field string, n int) string {
	return field + " must be shorter than or equal to " + strconv.Itoa(n) + " characters"
}

// EachString is class-validator's IsString message for the elements of an
// array ({each: true}).
func EachString(field string) string { return "each value in " + field + " must be a string" }

// IsInt is class-validator's IsInt message.
func IsInt(field string) string { return field + " must be an integer number" }

// Min is class-validator's Min message.
func Min(field string, n int) string {
	return field + " must not be less than " + strconv.Itoa(n)
}

// Max is class-validator's Max message.
func Max(field string, n int) string {
	return field + " must not be greater than " + strconv.Itoa(n)
}
