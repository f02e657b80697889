package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow"
)

// newMux builds the service: the IVR, and the built-in backend when
// backendURL is empty (the tutorial runs both in one service). store keeps
// the state tokens answered; nil gives the IVR a memory store of its own.
func newMux(cfg tutorial.Config, backendURL string, insecure bool, store flow.Store, logger *slog.Logger) (*http.ServeMux, error) {
	opts := []flow.Option{flow.WithLogger(logger)}
	if store != nil {
		opts = append(opts, flow.WithStore(store))
	}
	if cfg.PublicURL != "" {
		opts = append(opts, flow.WithPublicURL(cfg.PublicURL))
	}
	if insecure {
		opts = append(opts, flow.InsecureSkipSignatureCheck())
	}
	ivr, err := flow.New(cfg.Cipher, cfg.AuthToken, tutorial.Steps(), tutorial.Finish(backendURL), opts...)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(tutorial.IVRPath, ivr)
	if cfg.BackendURL == "" {
		mux.Handle(tutorial.BackendPath, tutorial.Backend(cfg.Cipher))
	}
	return mux, nil
}

// serve runs the IVR until SIGINT or SIGTERM.
func serve(lookup func(string) (string, bool), insecure bool) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := tutorial.LoadConfig(lookup, insecure)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	backendURL := cfg.BackendURL
	if backendURL == "" {
		backendURL = "http://" + ln.Addr().String() + tutorial.BackendPath
	}
	store, redisClient, err := singleUseStore(lookup)
	if err != nil {
		ln.Close()
		return err
	}
	storeName := "memory (this replica only)"
	if redisClient != nil {
		defer redisClient.Close()
		storeName = "redis"
		pingCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := redisClient.Ping(pingCtx).Err(); err != nil {
			// Not fatal: Redis may start later. Until it answers, every
			// step fails closed.
			logger.Warn("REDIS_URL does not answer yet; steps fail until it does", "error", err.Error())
		}
		cancel()
	}
	mux, err := newMux(cfg, backendURL, insecure, store, logger)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second, // Twilio gives up on a webhook after 15 s
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("encrypted-gather listening", "addr", ln.Addr().String(), "ivr", tutorial.IVRPath,
		"backend", backendURL, "signature_checks", !insecure, "single_use_store", storeName)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
