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

// run is the whole program: main only wires the process to it, so a test
// can run it on 127.0.0.1:0 with its own environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg)

	ds, err := fixtures.Generate(fixtures.Options{Seed: cfg.seed})
	if err != nil {
		return err
	}
	st := store.New(store.Options{})
	if err := st.Load(ds); err != nil {
		return fmt.Errorf("load seeded data: %w", err)
	}
	srv := &http.Server{
		Handler:           api.NewServer(api.Options{Store: st, Logger: log}),
		ReadHeaderTimeout: 10 * time.Second,
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on --addr %s: %w", cfg.addr, err)
	}
	log.Info("novu mock listening", slog.String("url", baseURL(ln.Addr())), slog.Int64("seed", cfg.seed))
	logEnvironments(log, st)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", slog.Duration("grace", shutdownGrace))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func newLogger(w io.Writer, cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
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
		for _, env := range st.Environments(org.ID) {
			for _, k := range env.APIKeys {
				log.Info("environment", slog.String("organization", org.Name), slog.String("name", env.Name),
					slog.String("id", env.ID), slog.String("apiKey", k.Key))
			}
		}
		if envs := st.Environments(org.ID); len(envs) > 0 && len(envs[0].APIKeys) > 0 {
			token := api.SessionToken(api.SessionClaims{UserID: envs[0].APIKeys[0].UserID, OrganizationID: org.ID})
			log.Info("dashboard token (Authorization: Bearer …, pick the environment with Novu-Environment-Id)",
				slog.String("organization", org.Name), slog.String("token", token))
		}
	}
}
