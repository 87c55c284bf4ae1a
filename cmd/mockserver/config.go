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

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/fixtures"
)

// config is the parsed command line. Every flag has a NOVU_MOCK_* twin in
// the environment; a flag given on the command line wins over its twin.
type config struct {
	addr        string
	seed        int64
	perEnv      int
	fixtures    string
	logLevel    slog.Level
	logFormat   string
	journalSize int
	corsOrigins []string
	strictKeys  bool
	maxTenants  int
	maxLive     int
}

// flagSpec describes one flag: its environment twin, default and parser.
// A boolean flag may be given without a value.
type flagSpec struct {
	name, env, def, usage string
	parse                 func(value string, c *config) error
	boolean               bool
}

var flagSpecs = []flagSpec{
	{name: "addr", env: "NOVU_MOCK_ADDR", def: ":3000", usage: "address to listen on, host:port (port 0 picks a free one)", parse: parseAddr},
	{name: "seed", env: "NOVU_MOCK_SEED", def: strconv.FormatInt(fixtures.DefaultSeed, 10), usage: "seed of the generated demo data", parse: parseSeed},
	{name: "per-env", env: "NOVU_MOCK_PER_ENV", def: strconv.Itoa(fixtures.DefaultPerEnvironment), usage: "live integrations generated per environment", parse: intIn("per-env", 0, 100_000, func(c *config, n int) { c.perEnv = n })},
	{name: "fixtures", env: "NOVU_MOCK_FIXTURES", def: "", usage: "start from this fixtures file instead of generated data", parse: func(v string, c *config) error { c.fixtures = v; return nil }},
	{name: "max-integrations", env: "NOVU_MOCK_MAX_INTEGRATIONS", def: "10000", usage: "live integrations one environment may hold", parse: intIn("max-integrations", 1, 10_000_000, func(c *config, n int) { c.maxLive = n })},
	{name: "journal-size", env: "NOVU_MOCK_JOURNAL_SIZE", def: strconv.Itoa(api.DefaultJournalSize), usage: "requests the journal keeps (oldest dropped)", parse: intIn("journal-size", 1, 1_000_000, func(c *config, n int) { c.journalSize = n })},
	{name: "cors-origins", env: "NOVU_MOCK_CORS_ORIGINS", def: "*", usage: "comma-separated origins browsers may call from; * for any, none to turn CORS off", parse: parseOrigins},
	{name: "strict-keys", env: "NOVU_MOCK_STRICT_KEYS", def: "false", usage: "answer unknown API keys with 401 instead of a fresh tenant", parse: parseStrict, boolean: true},
	{name: "max-tenants", env: "NOVU_MOCK_MAX_TENANTS", def: "1000", usage: "organizations (tenants) that may be created at run time", parse: intIn("max-tenants", 1, 1_000_000, func(c *config, n int) { c.maxTenants = n })},
	{name: "log-level", env: "NOVU_MOCK_LOG_LEVEL", def: "info", usage: "debug, info, warn or error", parse: parseLogLevel},
	{name: "log-format", env: "NOVU_MOCK_LOG_FORMAT", def: "text", usage: "text or json", parse: parseLogFormat},
}

func intIn(name string, lo, hi int, set func(*config, int)) func(string, *config) error {
	return func(v string, c *config) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("want a whole number from %d to %d", lo, hi)
		}
		set(c, n)
		return nil
	}
}

func parseOrigins(v string, c *config) error {
	switch v {
	case "none":
		c.corsOrigins = []string{}
		return nil
	case "", "*":
		c.corsOrigins = nil
		return nil
	}
	c.corsOrigins = []string{}
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimSpace(o)
		if o != "*" && !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") {
			return fmt.Errorf("origin %q must start with http:// or https:// (or be *)", o)
		}
		c.corsOrigins = append(c.corsOrigins, o)
	}
	return nil
}

func parseStrict(v string, c *config) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return errors.New("want true or false")
	}
	c.strictKeys = b
	return nil
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
		usage := fmt.Sprintf("%s (env %s, default %q)", spec.usage, spec.env, spec.def)
		set := func(v string) error {
			given[spec.name] = v
			return nil
		}
		if spec.boolean {
			fs.BoolFunc(spec.name, usage, set)
		} else {
			fs.Func(spec.name, usage, set)
		}
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
