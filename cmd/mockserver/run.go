package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/store"
)

// shutdownGrace bounds how long in-flight requests may run after a stop
// signal before the server closes them.
const shutdownGrace = 10 * time.Second

// readHeaderTimeout cuts off a client that sends its headers too slowly;
// with no idle timeout set, it also closes a keep-alive connection idle for
// that long. Bodies have their own deadline (set by the API on requests
// that carry one). There is no write timeout: an injected fault may
// legitimately delay an answer. Only this deadline is set on every
// request: each one costs a timer update, which the profile showed.
const readHeaderTimeout = 10 * time.Second

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout}
}

// run is the whole program: main only wires the process to it, so a test
// can run it on 127.0.0.1:0 with its own environment and output.
//
//	mockserver [flags]           serve
//	mockserver fixtures [flags]  print the starting dataset as a fixtures file
//	mockserver health [flags]    exit 0 if the server at --addr is ready
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && (args[0] == "fixtures" || args[0] == "health") {
		command, args = args[0], args[1:]
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	switch command {
	case "fixtures":
		return printFixtures(cfg, stdout)
	case "health":
		return checkHealth(ctx, cfg, args, getenv)
	}
	return serve(ctx, cfg, getenv, stderr)
}

func dataset(cfg config) (store.Dataset, error) {
	return fixtures.Load(fixtures.Source{
		Options: fixtures.Options{Seed: cfg.seed, PerEnvironment: cfg.perEnv},
		File:    cfg.fixtures,
	})
}

// printFixtures writes the dataset the server would start with, so a user
// can save it, edit it and start from it with --fixtures.
func printFixtures(cfg config, stdout io.Writer) error {
	ds, err := dataset(cfg)
	if err != nil {
		return err
	}
	return store.EncodeDataset(stdout, ds)
}

func serve(ctx context.Context, cfg config, getenv func(string) string, stderr io.Writer) error {
	sink := newLogSink(stderr)
	defer sink.Close()
	log := newLogger(sink, cfg)
	ds, err := dataset(cfg)
	if err != nil {
		return err
	}
	st := store.New(store.Options{MaxCreatedOrganizations: cfg.maxTenants, MaxIntegrationsPerEnvironment: cfg.maxLive})
	if err := st.Load(ds); err != nil {
		return fmt.Errorf("load the starting data: %w", err)
	}
	handler := api.NewServer(api.Options{
		Store: st, Baseline: &ds, Logger: log,
		JournalSize: cfg.journalSize, StrictKeys: cfg.strictKeys, CORSOrigins: cfg.corsOrigins,
	})
	srv := newHTTPServer(handler)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on --addr %s: %w", cfg.addr, err)
	}
	defer writeAddrFile(getenv, ln.Addr(), log)() // for the health check; removed on exit
	source := fmt.Sprintf("seed %d", cfg.seed)
	if cfg.fixtures != "" {
		source = "fixtures " + cfg.fixtures
	}
	url := baseURL(ln.Addr())
	log.Info("novu mock listening", slog.String("url", url), slog.String("data", source),
		slog.String("inspector", url+"/_mock/ui/"))
	logEnvironments(log, st)
	sink.Flush() // what a user copies from the log must be there at once

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	handler.SetReady(false)
	log.Info("shutting down", slog.Duration("grace", shutdownGrace))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func newLogger(w io.Writer, cfg config) *slog.Logger {
	return slog.New(newLineHandler(w, cfg.logLevel, cfg.logFormat == "json"))
}

// baseURL is the URL a client on this machine should use: a wildcard
// listen address is reached through localhost.
func baseURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}

// logEnvironments prints, for each environment, what a user needs to call
// it: a working API key, and per organization a dashboard token.
func logEnvironments(log *slog.Logger, st *store.Store) {
	for _, org := range st.Organizations() {
		envs := st.Environments(org.ID)
		for _, env := range envs {
			for _, k := range env.APIKeys {
				log.Info("environment", slog.String("organization", org.Name), slog.String("name", env.Name),
					slog.String("id", env.ID), slog.String("apiKey", k.Key))
			}
		}
		if len(envs) > 0 && len(envs[0].APIKeys) > 0 {
			token := api.SessionToken(api.SessionClaims{UserID: envs[0].APIKeys[0].UserID, OrganizationID: org.ID})
			log.Info("dashboard token (Authorization: Bearer …, pick the environment with Novu-Environment-Id)",
				slog.String("organization", org.Name), slog.String("token", token))
		}
	}
}
