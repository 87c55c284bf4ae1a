package validate

import "testing"

// TestLazyRegexps: every expression compiles (which lazy leaves to the
// first check) and matches what it is for.
func TestLazyRegexps(t *testing.T) {
	for _, tc := range []struct {
		name string
		re   lazyRegexp
		in   string
	}{
		{"contextID", contextID, "tenant_1-a"},
		{"routingKey", routingKey, "0123456789abcdefABCDEF0123456789"},
		{"uuidRe", uuidRe, "123e4567-e89b-12d3-a456-426614174000"},
		{"emailRe", emailRe, "ada@example.com"},
		{"localeRe", localeRe, "en-US"},
	} {
		if !tc.re.MatchString(tc.in) {
			t.Errorf("%s does not match %q", tc.name, tc.in)
		}
	}
}
