// Command decrypt-gather is the tutorial's backend alone: it serves
// /decrypt-gather, opens encryptedCardDigits and encryptedPinDigits with
// AES_SECRET (and AES_SECRET_PREVIOUS), and answers as the tutorial's
// Node function does. It listens on ADDR (default localhost:8080).
//
// With BIND_VALUES=1 it opens only values sealed by an IVR that binds them
// (encrypted-gather with BIND_VALUES=1, flow.WithBoundValues): each value
// with the additional data of its field and the body's callSid, so a value
// moved to the other field or taken from another call is refused.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "decrypt-gather:", err)
		os.Exit(1)
	}
}

func run() error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	c, err := aescrypt.FromEnv()
	if err != nil {
		return err
	}
	bind, err := tutorial.BindValues(os.LookupEnv)
	if err != nil {
		return err
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = tutorial.DefaultAddr
	}
	mux := http.NewServeMux()
	if bind {
		mux.Handle(tutorial.BackendPath, tutorial.BoundBackend(c))
	} else {
		mux.Handle(tutorial.BackendPath, tutorial.Backend(c))
	}
	srv := &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("decrypt-gather listening", "addr", addr, "path", tutorial.BackendPath, "bound_values", bind)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
