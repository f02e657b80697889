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

	"github.com/encgather/encgather/examples/verify/accounts"
)

// demoCustomers are the backend's records when the example serves: one
// customer, the one -simulate verifies. A real backend looks its
// customers up in its own database.
var demoCustomers = []accounts.Customer{{ID: "C-1001", DateOfBirth: "01021980", PIN: "654321"}}

// serve runs the service until SIGINT or SIGTERM: the IVR on the public
// address, the backend and the readiness endpoint on loopback listeners
// of their own.
func serve(lookup func(string) (string, bool), logOut io.Writer) error {
	cfg, err := loadConfig(lookup)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(logOut, nil))

	backendHandler, err := accounts.New(accounts.Config{Cipher: cfg.cipher, Signing: cfg.signing,
		Customers: demoCustomers, Logger: logger.With("component", "backend")})
	if err != nil {
		return err
	}
	backendLn, err := net.Listen("tcp", cfg.backendAddr)
	if err != nil {
		return fmt.Errorf("%s: %w", envBackendAddr, err)
	}
	backendMux := http.NewServeMux()
	backendMux.Handle("POST "+BackendPath, backendHandler)
	backendURL := "http://" + backendLn.Addr().String() + BackendPath

	service, err := newIVR(ivrConfig{PublicURL: cfg.publicURL, AuthToken: cfg.authToken.reveal(), Cipher: cfg.cipher,
		Signing: cfg.signing.Newest(), BackendURL: backendURL, Agent: cfg.agent, Logger: logger})
	if err != nil {
		backendLn.Close()
		return err
	}
	loopbackLn, err := net.Listen("tcp", cfg.loopbackAddr)
	if err != nil {
		backendLn.Close()
		return fmt.Errorf("%s: %w", envLoopbackAddr, err)
	}
	loopbackMux := http.NewServeMux()
	loopbackMux.Handle("GET "+ReadyPath, readiness(service.flow))
	publicLn, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		backendLn.Close()
		loopbackLn.Close()
		return fmt.Errorf("%s: %w", envAddr, err)
	}

	servers := []*http.Server{newServer(service.mux), newServer(backendMux), newServer(loopbackMux)}
	listeners := []net.Listener{publicLn, backendLn, loopbackLn}
	logger.Info("verify listening", "addr", publicLn.Addr().String(),
		"twilio_webhook", "(PUBLIC_URL)"+WelcomePath, "status_callback", "(PUBLIC_URL)"+StatusPath,
		"readiness", "http://"+loopbackLn.Addr().String()+ReadyPath, "backend", backendURL)

	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(stop)
	select {
	case err = <-errc:
	case <-stop:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(ctx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// newServer is an http.Server with the timeouts a webhook server needs.
func newServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 20 * time.Second, IdleTimeout: 60 * time.Second}
}
