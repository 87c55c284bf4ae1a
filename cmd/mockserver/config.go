package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"

	"github.com/novumock/novumock/internal/fixtures"
)

// config is the parsed command line. Every flag has a NOVU_MOCK_* twin in
// the environment; a flag given on the command line wins over its twin.
type config struct {
	addr      string
	seed      int64
	logLevel  slog.Level
	logFormat string
}

// flagSpec describes one flag: its environment twin, default and parser.
type flagSpec struct {
	name, env, def, usage string
	parse                 func(value string, c *config) error
}

var flagSpecs = []flagSpec{
	{"addr", "NOVU_MOCK_ADDR", ":3000", "address to listen on, host:port (port 0 picks a free one)", parseAddr},
	{"seed", "NOVU_MOCK_SEED", strconv.FormatInt(fixtures.DefaultSeed, 10), "seed of the generated demo data", parseSeed},
	{"log-level", "NOVU_MOCK_LOG_LEVEL", "info", "debug, info, warn or error", parseLogLevel},
	{"log-format", "NOVU_MOCK_LOG_FORMAT", "text", "text or json", parseLogFormat},
}

func parseAddr(v string, c *config) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("want host:port, e.g. :3000 or 127.0.0.1:0 (%v)", err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	c.addr = net.JoinHostPort(host, port)
	return nil
}

func parseSeed(v string, c *config) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return errors.New("want a whole number")
	}
	c.seed = n
	return nil
}

func parseLogLevel(v string, c *config) error {
	switch strings.ToLower(v) {
	case "debug":
		c.logLevel = slog.LevelDebug
	case "info":
		c.logLevel = slog.LevelInfo
	case "warn", "warning":
		c.logLevel = slog.LevelWarn
	case "error":
		c.logLevel = slog.LevelError
	default:
		return errors.New("want debug, info, warn or error")
	}
	return nil
}

func parseLogFormat(v string, c *config) error {
	switch strings.ToLower(v) {
	case "text", "json":
		c.logFormat = strings.ToLower(v)
		return nil
	}
	return errors.New("want text or json")
}

// parseConfig reads flags and their environment twins. A bad value stops
// start-up with a message naming the flag, its twin and what it wants.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("mockserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	given := map[string]string{}
	for _, spec := range flagSpecs {
		fs.Func(spec.name, fmt.Sprintf("%s (env %s, default %q)", spec.usage, spec.env, spec.def), func(v string) error {
			given[spec.name] = v
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	for _, spec := range flagSpecs {
		v, source := spec.def, "default"
		if e := getenv(spec.env); e != "" {
			v, source = e, spec.env
		}
		if g, ok := given[spec.name]; ok {
			v, source = g, "--"+spec.name
		}
		if err := spec.parse(strings.TrimSpace(v), &c); err != nil {
			if source == "--"+spec.name {
				return c, fmt.Errorf("invalid value %q for --%s: %w", v, spec.name, err)
			}
			return c, fmt.Errorf("invalid value %q for --%s (from %s): %w", v, spec.name, source, err)
		}
	}
	return c, nil
}
