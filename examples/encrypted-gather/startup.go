package main

import (
	"log/slog"

	"github.com/encgather/encgather/examples/internal/tutorial"
)

// logStartup writes the service's first line: where it listens, the
// public URL (without credentials), its routes and the webhook to give
// Twilio, so that a misconfigured URL shows at a glance.
func logStartup(logger *slog.Logger, cfg tutorial.Config, addr, backendURL string, insecure bool) {
	routes := []string{tutorial.IVRPath}
	if cfg.BackendURL == "" {
		routes = append(routes, tutorial.BackendPath)
	}
	logger.Info("encrypted-gather listening", "addr", addr, "public_url", cfg.LoggedPublicURL(),
		"routes", routes, "twilio_webhook", cfg.LoggedPublicURL()+tutorial.IVRPath,
		"backend", backendURL, "signature_checks", !insecure)
}
