package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/encgather/encgather/examples/internal/simulation"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
)

// simulatedPublicURL is the reserved example host the simulated Twilio
// calls; nothing leaves the process but the backend call on loopback.
const simulatedPublicURL = "https://ivr.example.com"

// simulateCall runs the IVR and its backend with a fresh key, auth token
// and signing secret, places one call through a simulated Twilio that
// types keys, and prints the conversation, each webhook request, each
// backend request and the IVR's log lines. With publicKey, the IVR is in
// public-key mode (simulatePublicKeyCall).
func simulateCall(out io.Writer, keys []string, publicKey bool) error {
	if publicKey {
		return simulatePublicKeyCall(out, keys)
	}
	cipher := aescrypt.New(aescrypt.GenerateKey())
	signing := backend.NewSecrets(backend.GenerateSecret())
	cfg := tutorial.Config{PublicURL: simulatedPublicURL, AuthToken: tutorial.NewHidden(newAuthToken()), Cipher: cipher, Signing: signing}
	h, err := tutorial.RequireSignatures(tutorial.Backend(cipher), signing)
	if err != nil {
		return err
	}
	return runSimulation(out, keys, h, func(string) (tutorial.Config, error) { return cfg, nil })
}

// newAuthToken returns a fresh Twilio-like auth token.
func newAuthToken() string {
	token := make([]byte, 16)
	rand.Read(token)
	return hex.EncodeToString(token)
}

// runSimulation serves backend on loopback, builds the IVR from the
// configuration ivrConfig returns for the backend's URL, and places the
// call.
func runSimulation(out io.Writer, keys []string, backendHandler http.Handler, ivrConfig func(backendURL string) (tutorial.Config, error)) error {
	backendURL, stop, err := serveBackend(out, backendHandler)
	if err != nil {
		return err
	}
	defer stop()
	cfg, err := ivrConfig(backendURL)
	if err != nil {
		return err
	}

	mux, _, err := newMux(cfg, ivrSettings{backendURL: backendURL, logger: simulationLogger(out)})
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "Simulated call to %s%s; the caller types %s\n\n", simulatedPublicURL, tutorial.IVRPath, simulation.Entries(keys))
	caller := flowtest.NewCaller(mux, simulatedPublicURL+tutorial.IVRPath, cfg.AuthToken.Reveal())
	caller.Log = out
	call := caller.Call(keys...)

	fmt.Fprintf(out, "\nThe call ended with %v after %d webhook requests.\n", call.End, len(call.Requests))
	if len(call.Unused) > 0 {
		fmt.Fprintf(out, "The call ended before the caller typed %d of the entries: %s.\n", len(call.Unused), simulation.Entries(call.Unused))
	}
	return reachedAnswer(call)
}

// serveBackend serves backendHandler on loopback, so the sealed values
// really travel over HTTP as they would to a separate service, printing
// each request to out. It returns the backend's URL and what stops it.
func serveBackend(out io.Writer, backendHandler http.Handler) (string, func() error, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	backend := &http.Server{Handler: simulation.ShowRequests(out, backendHandler), ReadHeaderTimeout: 5 * time.Second}
	go backend.Serve(ln)
	return "http://" + ln.Addr().String() + tutorial.BackendPath, backend.Close, nil
}

// simulationLogger writes the IVR's log lines to out, each marked.
func simulationLogger(out io.Writer) *slog.Logger {
	return simulation.Logger(out, "ivr log: ")
}

// successPrefix starts the sentence for a found account.
var successPrefix, _, _ = strings.Cut(tutorial.SaySuccess("\x00", ""), "\x00")

// reachedAnswer reports, as an error, a call that did not reach its end:
// the backend's answer (an account, or the failure sentence), then a
// hang-up.
func reachedAnswer(call *flowtest.Call) error {
	if call.End == flowtest.EndError {
		return fmt.Errorf("the simulated call failed: %w", call.Err)
	}
	last := call.LastSaid()
	if call.End != flowtest.EndHangup || (last != tutorial.SayFailure && !strings.HasPrefix(last, successPrefix)) {
		return fmt.Errorf("the simulated call ended (%v) before the backend answered: add entries, or check the ones given", call.End)
	}
	return nil
}
