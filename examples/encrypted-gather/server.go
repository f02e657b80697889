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
	"github.com/encgather/encgather/flow/backend"
)

// ivrSettings are what the IVR's handler is built from besides Config.
type ivrSettings struct {
	backendURL string // where the sealed values are posted
	insecure   bool   // skip signature checks (local testing only)
	logger     *slog.Logger
	store      flow.Store // the answered state tokens; nil: the IVR's own memory store
	readyAddr  string     // READY_ADDR: the readiness probe's loopback address; "": a free port
}

// opsAddr is where the readiness probe listens: READY_ADDR, or a free
// port on loopback.
func (s ivrSettings) opsAddr() string {
	if s.readyAddr != "" {
		return s.readyAddr
	}
	return "127.0.0.1:0"
}

// newMux builds the public service: the IVR alone. The built-in backend is
// never on it; it has its own loopback listener (startService).
func newMux(cfg tutorial.Config, s ivrSettings) (*http.ServeMux, *flow.Flow, error) {
	opts := []flow.Option{flow.WithLogger(s.logger)}
	if cfg.PublicURL != "" {
		opts = append(opts, flow.WithPublicURL(cfg.PublicURL))
	}
	if s.insecure {
		opts = append(opts, flow.InsecureSkipSignatureCheck())
	}
	if s.store != nil {
		opts = append(opts, flow.WithStore(s.store))
	}
	if cfg.BindValues {
		opts = append(opts, flow.WithBoundValues())
	}
	opts = append(opts, cfg.SealerOptions()...)
	finish, err := tutorial.Finish(s.backendURL, cfg.SigningSecret())
	if err != nil {
		return nil, nil, err
	}
	ivr, err := flow.New(cfg.Cipher, cfg.AuthToken.Reveal(), tutorial.Steps(), finish, opts...)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(tutorial.IVRPath, ivr)
	return mux, ivr, nil
}

// readyPath is the readiness probe's route on the loopback ops listener.
const readyPath = "/readyz"

// readiness answers 200 while the IVR can answer calls, else 503 with
// why (the single-use store is out of reach): for a load balancer or an
// orchestrator to take the replica out of rotation rather than let its
// callers hear the apology.
func readiness(ivr *flow.Flow) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := ivr.Ready(r.Context()); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
}

// backendHandler is the built-in backend, opening bound values if the IVR
// binds them, and answering only requests signed with cfg.Signing.
func backendHandler(cfg tutorial.Config) (http.Handler, error) {
	h := tutorial.Backend(cfg.Cipher)
	if cfg.BindValues {
		h = tutorial.BoundBackend(cfg.Cipher)
	}
	h, err := tutorial.RequireSignatures(h, cfg.Signing)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(tutorial.BackendPath, h)
	return mux, nil
}

// service is the running IVR: the public server, and the built-in
// backend's server on loopback unless BACKEND_URL names another.
type service struct {
	public     *http.Server
	backend    *http.Server // nil with an external backend
	ops        *http.Server // the readiness probe, on loopback
	backendURL string
	readyURL   string
	errc       chan error // each server's end
}

// startService serves the IVR on public (the listener Twilio reaches)
// and, when cfg.ServesBackend (BACKEND_URL empty, not in public-key
// mode), the built-in backend on a separate listener at cfg.BackendAddr,
// which only the IVR calls. The built-in backend answers only requests
// the IVR signed: with BACKEND_SIGNING_SECRET if set, else with a secret
// made for this process, so that no other program on the machine can ask
// it about a PIN.
func startService(public net.Listener, cfg tutorial.Config, s ivrSettings) (*service, error) {
	svc := &service{backendURL: cfg.BackendURL, errc: make(chan error, 3)}
	if cfg.ServesBackend() {
		if cfg.Signing == nil {
			cfg.Signing = backend.NewSecrets(backend.GenerateSecret())
		}
		h, err := backendHandler(cfg)
		if err != nil {
			return nil, fmt.Errorf("built-in backend: %w", err)
		}
		ln, err := net.Listen("tcp", cfg.BackendAddr)
		if err != nil {
			return nil, fmt.Errorf("built-in backend: %w", err)
		}
		svc.backend = newServer(h, s.logger)
		svc.backendURL = "http://" + ln.Addr().String() + tutorial.BackendPath
		go func() { svc.errc <- svc.backend.Serve(ln) }()
	}
	s.backendURL = svc.backendURL
	mux, ivr, err := newMux(cfg, s)
	var opsLn net.Listener
	if err == nil {
		opsLn, err = net.Listen("tcp", s.opsAddr())
	}
	if err != nil {
		if svc.backend != nil {
			svc.backend.Close()
		}
		return nil, err
	}
	ops := http.NewServeMux()
	ops.Handle("GET "+readyPath, readiness(ivr))
	svc.ops = newServer(ops, s.logger)
	svc.readyURL = "http://" + opsLn.Addr().String() + readyPath
	go func() { svc.errc <- svc.ops.Serve(opsLn) }()
	svc.public = newServer(mux, s.logger)
	go func() { svc.errc <- svc.public.Serve(public) }()
	return svc, nil
}

// shutdown stops the public server first, so that calls in progress can
// still reach the backend, then the backend.
func (svc *service) shutdown(ctx context.Context) error {
	err := svc.public.Shutdown(ctx)
	err = errors.Join(err, svc.ops.Shutdown(ctx))
	if svc.backend != nil {
		err = errors.Join(err, svc.backend.Shutdown(ctx))
	}
	return err
}

func newServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second, // Twilio gives up on a webhook after 15 s
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
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
	store, redisClient, err := singleUseStore(lookup)
	if err != nil {
		ln.Close()
		return err
	}
	if redisClient != nil {
		defer redisClient.Close()
	}
	readyAddr, _ := lookup("READY_ADDR")
	svc, err := startService(ln, cfg, ivrSettings{insecure: insecure, logger: logger, store: store, readyAddr: readyAddr})
	if err != nil {
		ln.Close()
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logStartup(logger, cfg, ln.Addr().String(), svc.backendURL, svc.readyURL, insecure)
	logStore(ctx, logger, redisClient)

	select {
	case err := <-svc.errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := svc.shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
