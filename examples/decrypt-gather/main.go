// Command decrypt-gather is the tutorial's backend alone: it serves
// /decrypt-gather, opens encryptedCardDigits and encryptedPinDigits with
// AES_SECRET (and AES_SECRET_PREVIOUS), and answers as the tutorial's
// Node function does. It listens on ADDR (default localhost:8080).
//
// With BIND_VALUES=1 it opens only values sealed by an IVR that binds them
// (encrypted-gather with BIND_VALUES=1, flow.WithBoundValues): each value
// with the additional data of its field and the body's callSid, so a value
// moved to the other field or taken from another call is refused.
//
// With BACKEND_PRIVATE_KEY instead of AES_SECRET (keygen -public-key;
// several keys, comma-separated, newest first, for rotation), it is the
// backend of an IVR in public-key mode: it opens each value bound to its
// field and to the body's callSid.
//
// BACKEND_SIGNING_SECRET (keygen -signing-secret; older ones,
// comma-separated, in BACKEND_SIGNING_SECRET_PREVIOUS while a new one
// rolls out) makes it answer only requests the IVR signed with it
// (X-Encgather-Signature), 401 to any other, before it opens anything.
// Public-key mode refuses to start without it: anyone can seal a guess to
// a public key, and an unsigned backend would tell them whether it is
// right. In AES mode it is optional: unset, the backend answers the
// tutorial's Node IVR, which does not sign.
//
// Either way it limits guesses: after 5 answers of "No data found" for
// one card's last four digits and one caller's number (the body's "from",
// which the IVR signs) within 15 minutes, it answers 429 until the window
// ends.
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
	backend, mode, err := tutorial.LoadBackend(os.LookupEnv)
	if err != nil {
		return err
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = tutorial.DefaultAddr
	}
	mux := http.NewServeMux()
	mux.Handle(tutorial.BackendPath, backend)
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
	logger.Info("decrypt-gather listening", "addr", addr, "path", tutorial.BackendPath, "mode", mode,
		"max_wrong_guesses", tutorial.MaxWrongGuesses, "guess_window", tutorial.GuessWindow)
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
