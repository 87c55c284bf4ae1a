package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"text/tabwriter"
)

// printUsage prints what mockserver is, its commands and its flags.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `mockserver: Novu's integrations API (/v1/integrations), locally, from an
in-memory store seeded with demo data. For tests, frontends and demos; not
Novu: nothing is sent to any provider.

Usage:
  mockserver [serve] [flags]   serve the API, its control plane (/_mock) and inspector (/_mock/ui/)
  mockserver fixtures [flags]  print the starting data as a fixtures file, to edit and start from
  mockserver health [flags]    exit 0 if the server is ready and healthy (a container's health check)
  mockserver version           print the version
  mockserver help              print this help

Flags (each also read from its environment variable; a flag given wins):
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, spec := range flagSpecs {
		arg := " value"
		if spec.boolean {
			arg = ""
		}
		def := ""
		if spec.def != "" {
			def = " (default " + spec.def + ")"
		}
		fmt.Fprintf(tw, "  --%s%s\t%s\t%s%s\n", spec.name, arg, spec.env, spec.usage, def)
	}
	tw.Flush()
	fmt.Fprint(w, `
Docs: README.md and docs/ in the source (the control plane, limits, performance, security).
`)
}

// buildVersion is the version a release build stamps in with
// -ldflags "-X main.buildVersion=v1.2.3" (the Dockerfile's VERSION); empty,
// the module version from the build information is printed instead.
var buildVersion string

// version is the version of the binary: the stamped buildVersion, else the
// module version from its build information; then the commit it was built
// from when known, and the Go version.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "mockserver (no build information)"
	}
	v := buildVersion
	if v == "" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	var parts []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		c := "commit " + rev[:min(12, len(rev))]
		if settings["vcs.modified"] == "true" {
			c += " (modified)"
		}
		parts = append(parts, c)
	}
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	parts = append(parts, bi.GoVersion)
	return "mockserver " + v + ", " + strings.Join(parts, ", ")
}
