package validate

import (
	"strings"
	"time"
	_ "time/tzdata" // IANA time zones for Timezone, in a binary that runs on scratch
)

// The checks of Novu's subscriber DTOs (subscribers-v2/dtos/create-
// subscriber.dto.ts, subscribers/dtos/create-subscriber-request.dto.ts),
// with class-validator's words.

// IsEmail is class-validator's IsEmail message.
func IsEmail(field string) string { return field + " must be an email" }

// IsLocale is class-validator's IsLocale message.
func IsLocale(field string) string { return field + " must be locale" }

// IsTimeZone is class-validator's IsTimeZone message.
func IsTimeZone(field string) string { return field + " must be a valid IANA time-zone" }

// emailRe is validator.js's isEmail in its default options, as far as a
// client can tell: a local part without spaces, and a domain of labels with
// a top-level domain of two letters or more.
var emailRe = lazy(`^[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$`)

// Email reports whether s is an email address as class-validator's IsEmail
// takes one.
func Email(s string) bool {
	local, _, _ := strings.Cut(s, "@")
	return len(s) <= 254 && len(local) <= 64 && !strings.HasPrefix(local, ".") &&
		!strings.HasSuffix(local, ".") && !strings.Contains(local, "..") && emailRe.MatchString(s)
}

// localeRe is a BCP 47 language tag as validator.js's isLocale takes one:
// a language, an optional script, an optional region, optional variants;
// "_" separates as well as "-".
var localeRe = lazy(`^[A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?([-_]([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$`)

// Locale reports whether s is a locale as class-validator's IsLocale takes
// one.
func Locale(s string) bool { return localeRe.MatchString(s) }

// TimeZone reports whether s names an IANA time zone (JavaScript's Intl
// accepts those, and UTC).
func TimeZone(s string) bool {
	if s == "" || s == "Local" {
		return false
	}
	_, err := time.LoadLocation(s)
	return err == nil
}
