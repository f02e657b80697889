package main

import (
	"log/slog"

	"github.com/encgather/encgather/examples/internal/tutorial"
)

// logStartup writes the service's first line: where it listens, the
// public URL (without credentials), its routes and the webhook to give
// Twilio, so that a misconfigured URL shows at a glance. The built-in
// backend is not a route of addr: it has its own loopback listener, the
// backend URL; so has the readiness probe, the ready URL.
func logStartup(logger *slog.Logger, cfg tutorial.Config, addr, backendURL, readyURL string, insecure bool) {
	routes := []string{tutorial.IVRPath}
	logger.Info("encrypted-gather listening", "addr", addr, "public_url", cfg.LoggedPublicURL(),
		"routes", routes, "twilio_webhook", cfg.LoggedPublicURL()+tutorial.IVRPath,
		"backend", backendURL, "ready", readyURL, "bound_values", cfg.BindValues, "public_key_mode", cfg.PublicKeyMode(),
		"signature_checks", !insecure)
}
