package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
// backendURL is empty (the tutorial runs both in one service).
func newMux(cfg tutorial.Config, backendURL string, insecure bool, logger *slog.Logger) (*http.ServeMux, error) {
	opts := []flow.Option{flow.WithLogger(logger)}
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

// serve runs the IVR until SIGINT or SIGTERM, logging to logs.
func serve(lookup func(string) (string, bool), insecure bool, logs io.Writer) error {
	logger := slog.New(slog.NewTextHandler(logs, nil))
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
	mux, err := newMux(cfg, backendURL, insecure, logger)
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
	logStartup(logger, cfg, ln.Addr().String(), backendURL, insecure)

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
