package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/server"
	"github.com/novumock/novumock/internal/validate"
)

// config is the parsed command line. Every flag has a NOVU_MOCK_* twin in
// the environment; a flag given on the command line wins over its twin.
type config struct {
	addr         string
	seed         int64
	perEnv       int
	orgs, envs   int
	fixtures     string
	state        string
	strictKeys   bool
	autoSubs     bool
	controlToken string
	corsOrigins  []string
	allowedHosts []string
	// publicURL is the base of the URLs the mock hands out; "": each
	// request's own.
	publicURL string
	// sessionSecret signs dashboard tokens; empty: drawn at start-up.
	sessionSecret string
	limits        server.Limits
	logLevel      slog.Level
	logFormat     string
	// given records the flags given on the command line (not their twins).
	given map[string]bool
}

// maxPerEnv bounds --per-env: generating the data must end well before a
// container's health check gives up (the image's allows about 7 s).
const maxPerEnv = 50_000

// maxOrgs bounds --orgs, and maxGenerated the live integrations generated
// in all (--orgs × --envs × --per-env): the default shape's most, which
// loads within the default --max-store-mb.
const (
	maxOrgs      = 100
	maxGenerated = 2 * maxPerEnv
)

// flagSpec describes one flag: its environment twin, default and parser.
// A boolean flag may be given without a value. A secret flag's value is
// never repeated in an error (it would land in a terminal or CI log).
type flagSpec struct {
	name, env, def, usage string
	parse                 func(value string, c *config) error
	boolean, secret       bool
}

func envName(flag string) string {
	return "NOVU_MOCK_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// servingFlags are the flags of what is served and how.
var servingFlags = []flagSpec{
	{name: "addr", def: "localhost:3000", usage: "address to listen on, host:port; :3000 listens on every interface, port 0 picks a free one", parse: parseAddr},
	{name: "seed", def: strconv.FormatInt(fixtures.DefaultSeed, 10), usage: "seed of the generated demo data: the same seed gives the same data, ids and keys", parse: parseSeed},
	{name: "per-env", def: strconv.Itoa(fixtures.DefaultPerEnvironment), usage: fmt.Sprintf("live integrations generated per environment (1 to %d; --max-integrations, unless given, grows to fit)", maxPerEnv),
		parse: intIn(1, maxPerEnv, func(c *config, n int) { c.perEnv = n })},
	{name: "orgs", def: strconv.Itoa(fixtures.DefaultOrganizations), usage: fmt.Sprintf("organizations generated, each named after a company (1 to %d)", maxOrgs),
		parse: intIn(1, maxOrgs, func(c *config, n int) { c.orgs = n })},
	{name: "envs", def: strconv.Itoa(fixtures.DefaultEnvironments), usage: fmt.Sprintf("environments generated per organization (1 to %d): %s",
		len(fixtures.EnvironmentNames), strings.Join(fixtures.EnvironmentNames, ", ")),
		parse: intIn(1, len(fixtures.EnvironmentNames), func(c *config, n int) { c.envs = n })},
	{name: "fixtures", usage: "start from this fixtures file instead of generated data", parse: func(v string, c *config) error { c.fixtures = v; return nil }},
	{name: "state", usage: "keep the data in this file across restarts: start from it when it exists, save every change to it within half a second and at shutdown",
		parse: func(v string, c *config) error { c.state = v; return nil }},
	{name: "strict-keys", def: "false", usage: "answer unknown API keys with 401 instead of a fresh tenant", parse: parseBool(func(c *config, b bool) { c.strictKeys = b }), boolean: true},
	{name: "auto-subscribers", def: "false", usage: "record an unknown subscriberId on the channel routes as a new subscriber instead of Novu's 404 Subscriber not found",
		parse: parseBool(func(c *config, b bool) { c.autoSubs = b }), boolean: true},
	{name: "control-token", usage: "require Authorization: Bearer <token> on the control plane (/_mock/*) but its probes and the inspector page",
		parse: parseControlToken, secret: true},
	{name: "cors-origins", usage: "comma-separated origins browsers may call Novu's API from, besides pages on this machine " +
		"(http://localhost:<any port>, 127.0.0.1, [::1]), which always may; * for any origin, none to turn CORS off", parse: parseOrigins},
	{name: "allowed-hosts", usage: "comma-separated Host names to answer besides local ones (localhost, *.localhost, *.internal, " +
		"IP addresses, single labels like novu-mock): a name, .example.com for it and every name under it, * for any", parse: parseAllowedHosts},
	{name: "public-url", usage: "base of every URL the mock hands out (OAuth, consent and callback URLs, Telegram webhook and mobile-link URLs), " +
		"where browsers reach it, e.g. http://localhost:3000 when a backend calls it as http://novu-mock:3000; its host is answered too; " +
		"default: the scheme and Host of each request", parse: parsePublicURL},
	{name: "session-secret", usage: "secret that signs dashboard tokens (HS256), at least 16 characters: the same secret gives " +
		"the same tokens across restarts; default: drawn at random at start-up", parse: parseSessionSecret, secret: true},
}

// limitFlags are the flags of the bounds internal/limits declares: name,
// default, range and help come from there, so a new limit is a row there.
func limitFlags() []flagSpec {
	out := make([]flagSpec, 0, len(limits.Specs))
	for _, spec := range limits.Specs {
		out = append(out, flagSpec{name: spec.Flag, def: strconv.FormatInt(spec.Default, 10), usage: spec.Usage,
			parse: func(v string, c *config) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return fmt.Errorf("want a whole number from %d to %d", spec.Min, spec.Max)
				}
				return c.limits.Set(spec.Flag, n)
			}})
	}
	return out
}

// logFlags come last in --help.
var logFlags = []flagSpec{
	{name: "log-level", def: "info", usage: "debug, info, warn or error (the start-up lines are always printed)", parse: parseLogLevel},
	{name: "log-format", def: "text", usage: "text or json", parse: parseLogFormat},
}

// flagSpecs are every flag, in the order --help lists them.
var flagSpecs = slices.Concat(servingFlags, limitFlags(), logFlags)

func init() {
	for i := range flagSpecs {
		flagSpecs[i].env = envName(flagSpecs[i].name)
	}
}

func intIn(lo, hi int, set func(*config, int)) func(string, *config) error {
	return func(v string, c *config) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("want a whole number from %d to %d", lo, hi)
		}
		set(c, n)
		return nil
	}
}

func parseBool(set func(*config, bool)) func(string, *config) error {
	return func(v string, c *config) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		set(c, b)
		return nil
	}
}

// parseOrigins reads --cors-origins: empty is the default (loopback
// origins only, nil), none turns CORS off (an empty list).
func parseOrigins(v string, c *config) error {
	switch v {
	case "none":
		c.corsOrigins = []string{}
		return nil
	case "":
		c.corsOrigins = nil
		return nil
	}
	c.corsOrigins = []string{}
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimSpace(o)
		if o != "*" && !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") {
			return fmt.Errorf("origin %q must start with http:// or https:// (or be *)", o)
		}
		if o != "*" && strings.Contains(o, "*") && !wildcardOrigin.MatchString(o) {
			return fmt.Errorf("origin %q may hold a * only as a whole first label of the host (https://*.example.com), "+
				"so that it cannot match another site (http://localhost* would allow http://localhost.evil.com)", o)
		}
		c.corsOrigins = append(c.corsOrigins, o)
	}
	return nil
}

// wildcardOrigin is the one form an origin with a * may take: the whole
// first label of the host, then at least a domain and its top level.
var wildcardOrigin = regexp.MustCompile(`^https?://\*(\.[A-Za-z0-9-]+){2,}(:[0-9]+)?$`)

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// parseAllowedHosts reads --allowed-hosts: names as a Host header has them,
// without scheme or port (the port does not matter to a rebinding page).
func parseAllowedHosts(v string, c *config) error {
	c.allowedHosts = nil
	if v == "" {
		return nil
	}
	for _, h := range strings.Split(v, ",") {
		h = strings.TrimSpace(h)
		if h == "*" {
			c.allowedHosts = append(c.allowedHosts, h)
			continue
		}
		name := strings.TrimPrefix(h, ".")
		switch {
		case strings.Contains(h, "://"):
			return fmt.Errorf("%q is a URL: give the host name alone (novu-mock.example.com)", h)
		case strings.Contains(name, ":"):
			return fmt.Errorf("%q has a port: give the name alone (every port of it is allowed)", h)
		case name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != "":
			return fmt.Errorf("%q is not a host name (letters, digits, dots, hyphens; .example.com for every name under example.com; * for any)", h)
		}
		c.allowedHosts = append(c.allowedHosts, h)
	}
	return nil
}

// parsePublicURL reads --public-url: an http(s) URL with a host, perhaps
// a path (a proxy's prefix), without query, fragment or user.
func parsePublicURL(v string, c *config) error {
	c.publicURL = ""
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return fmt.Errorf("want an http or https URL such as http://localhost:3000 (%w)", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("want an http or https URL such as http://localhost:3000")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("want a URL with a host, such as http://localhost:3000")
	case u.RawQuery != "" || u.ForceQuery:
		return errors.New("want a URL without a query (?…): paths are added to it")
	case u.Fragment != "" || strings.Contains(v, "#"):
		return errors.New("want a URL without a fragment (#…)")
	case u.User != nil:
		return errors.New("want a URL without a user (user@host)")
	case u.Port() != "" && !validPort(u.Port()):
		return fmt.Errorf("port %q is not a number from 1 to 65535", u.Port())
	}
	c.publicURL = strings.TrimRight(v, "/")
	return nil
}

// minSessionSecret keeps a given secret from being guessed by trying short
// words: anyone who knows it can sign a session for any organization.
const minSessionSecret = 16

func parseSessionSecret(v string, c *config) error {
	if v != "" && (len(v) < minSessionSecret || !validate.APIKey(v)) {
		return fmt.Errorf("want %d to 256 printable ASCII characters without spaces", minSessionSecret)
	}
	c.sessionSecret = v
	return nil
}

func parseControlToken(v string, c *config) error {
	if v != "" && !validate.APIKey(v) {
		return errors.New("want 1 to 256 printable ASCII characters without spaces")
	}
	c.controlToken = v
	return nil
}

func parseAddr(v string, c *config) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("want host:port, e.g. localhost:3000, :3000 or 127.0.0.1:0 (%w)", err)
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

// usageError is a mistake on the command line: printed with a hint to the
// help, exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// parseConfig reads flags (--name value, --name=value, -name too) and their
// environment twins. A bad value stops start-up with a message naming the
// flag, where its value came from and what it wants.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	c := config{given: map[string]bool{}}
	values := map[string]string{}
	from := map[string]string{} // flag → where its value came from: "" (the command line), its twin, or "default"
	byName := map[string]flagSpec{}
	for _, spec := range flagSpecs {
		byName[spec.name] = spec
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			return c, usagef("unexpected argument %q (flags start with --)", arg)
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		spec, ok := byName[name]
		if !ok {
			return c, usagef("unknown flag --%s", name)
		}
		if !hasValue {
			if spec.boolean {
				value = "true"
			} else if i+1 < len(args) {
				i++
				value = args[i]
			} else {
				return c, usagef("flag --%s needs a value", name)
			}
		}
		values[name], c.given[name] = value, true
	}
	for _, spec := range flagSpecs {
		v, source := spec.def, "default"
		if e := getenv(spec.env); e != "" {
			v, source = e, spec.env
		}
		if g, ok := values[spec.name]; ok {
			v, source = g, ""
		}
		from[spec.name] = source
		if err := spec.parse(strings.TrimSpace(v), &c); err != nil {
			if spec.secret {
				v = "(not shown)"
			}
			if source == "" {
				return c, usagef("invalid value %q for --%s: %s", v, spec.name, err)
			}
			return c, usagef("invalid value %q for --%s (from %s): %s", v, spec.name, source, err)
		}
	}
	return c, fitGenerated(&c, from)
}

// fitGenerated checks the generated data's flags together. The data must
// load within --max-integrations, which bounds each environment's live
// integrations (and, each on its own, its subscribers, channel connections
// and endpoints): left to its default, it grows to fit --per-env; given, a
// conflict stops start-up naming both flags. Deleted integrations are not
// counted, so --per-env alone sets what is needed. A fixtures file is
// checked as it loads instead.
func fitGenerated(c *config, from map[string]string) error {
	if c.fixtures != "" {
		return nil
	}
	named := func(flag string, v int64) string {
		if src := from[flag]; src != "" && src != "default" {
			return fmt.Sprintf("--%s %d (from %s)", flag, v, src)
		}
		return fmt.Sprintf("--%s %d", flag, v)
	}
	if total := c.orgs * c.envs * c.perEnv; total > maxGenerated {
		return usagef("%s × %s × %s is %d live integrations to generate, more than %d: lower one of them",
			named("orgs", int64(c.orgs)), named("envs", int64(c.envs)), named("per-env", int64(c.perEnv)), total, maxGenerated)
	}
	need := int64(fixtures.Room(c.perEnv))
	switch {
	case c.limits.Integrations >= need:
	case from["max-integrations"] == "default":
		c.limits.Integrations = need
	case need == int64(c.perEnv):
		return usagef("%s generates %d live integrations per environment, more than %s lets one hold: "+
			"raise --max-integrations to %d or more, leave it out (it then fits --per-env), or lower --per-env",
			named("per-env", int64(c.perEnv)), need, named("max-integrations", c.limits.Integrations), need)
	default:
		return usagef("%s generates up to %d subscribers per environment (for its chat integrations' endpoints), more than %s lets one hold "+
			"(it bounds each kind of record on its own): raise --max-integrations to %d or more, or leave it out",
			named("per-env", int64(c.perEnv)), need, named("max-integrations", c.limits.Integrations), need)
	}
	return nil
}

// serverConfig is the server's config for these flags.
func (c config) serverConfig() server.Config {
	return server.Config{
		Source: fixtures.Source{Options: fixtures.Options{Seed: c.seed, PerEnvironment: c.perEnv,
			Organizations: c.orgs, Environments: c.envs}, File: c.fixtures},
		StateFile:       c.state,
		Limits:          c.limits,
		StrictKeys:      c.strictKeys,
		AutoSubscribers: c.autoSubs,
		CORSOrigins:     c.corsOrigins,
		AllowedHosts:    c.allowedHosts,
		PublicURL:       c.publicURL,
		ControlToken:    c.controlToken,
		SessionSecret:   []byte(c.sessionSecret),
	}
}
