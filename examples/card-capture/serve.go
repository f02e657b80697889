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

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
)

// serve runs the IVR on ADDR and the backend on a loopback port until
// SIGINT or SIGTERM. Configuration problems are reported together, naming
// each variable and never printing its value.
func serve(lookup func(string) (string, bool), logs io.Writer) error {
	var problems []error
	cipher, err := aescrypt.FromLookup(lookup)
	if err != nil {
		problems = append(problems, err)
	}
	authToken, _ := lookup("TWILIO_AUTH_TOKEN")
	if authToken == "" {
		problems = append(problems, errors.New("TWILIO_AUTH_TOKEN is not set"))
	}
	publicURL, _ := lookup("PUBLIC_URL")
	if publicURL == "" {
		problems = append(problems, errors.New("PUBLIC_URL is not set"))
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	addr, _ := lookup("ADDR")
	if addr == "" {
		addr = "localhost:8080"
	}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	signing := backend.GenerateSecret()
	h, _, err := newBackend(cipher, backend.NewSecrets(signing), logger.With("service", "backend"))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	back := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go back.Serve(ln)
	defer back.Close()
	ivr, err := newIVR(ivrConfig{cipher: cipher, authToken: authToken, publicURL: publicURL,
		backendURL: "http://" + ln.Addr().String() + TokenizePath, signing: signing, logger: logger})
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: ivr, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	logger.Info("serving", "addr", addr, "path", PayPath)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}
