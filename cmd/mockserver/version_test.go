package main

import (
	"strings"
	"testing"
)

// TestVersion_Stamped: a version stamped with -ldflags -X (the Dockerfile's
// VERSION) is printed in place of the build information's.
func TestVersion_Stamped(t *testing.T) {
	defer func(v string) { buildVersion = v }(buildVersion)
	buildVersion = "v1.2.3"
	if got := version(); !strings.HasPrefix(got, "mockserver v1.2.3, ") {
		t.Errorf("version() = %q, want it to start with \"mockserver v1.2.3, \"", got)
	}
	buildVersion = ""
	if got := version(); strings.Contains(got, "v1.2.3") || !strings.HasPrefix(got, "mockserver ") {
		t.Errorf("version() without a stamp = %q, want the build information's", got)
	}
}
