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
	"sync"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/verify/accounts"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// simulatedPublicURL is the reserved example host the simulated Twilio
// calls; nothing leaves the process but the backend call on loopback.
const simulatedPublicURL = "https://ivr.example.com"

// simulate runs the service with fresh secrets, places one call through a
// simulated Twilio that types entries, and prints the conversation, each
// webhook and backend request, and the IVR's and the backend's log lines.
// Only the simulated caller's own lines ("Caller: ...") show what it
// types. It returns an error when the call ended before the backend's
// answer: a transfer to the agent, or the no-match sentence.
func simulate(out io.Writer, entries []string) error {
	out = &lockedWriter{w: out}
	cipher := aescrypt.New(aescrypt.GenerateKey())
	signing := backend.NewSecrets(backend.GenerateSecret())
	token := make([]byte, 16)
	rand.Read(token)
	authToken := hex.EncodeToString(token)

	backendHandler, err := accounts.New(accounts.Config{Cipher: cipher, Signing: signing, Customers: demoCustomers,
		Logger: newLogger(out, "backend log: ")})
	if err != nil {
		return err
	}
	// The backend listens on loopback, so the sealed values really travel
	// over HTTP, signed, as they would to a separate service.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+BackendPath, simulation.ShowRequests(out, backendHandler))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	service, err := newIVR(ivrConfig{PublicURL: simulatedPublicURL, AuthToken: authToken, Cipher: cipher,
		Signing: signing.Newest(), BackendURL: "http://" + ln.Addr().String() + BackendPath,
		Agent: twiml.Client{Identity: "agent"}, Logger: newLogger(out, "ivr log: ")})
	if err != nil {
		return err
	}
	caller := flowtest.NewCaller(service.mux, simulatedPublicURL+WelcomePath, authToken)
	caller.StatusCallback = StatusPath
	caller.Log = out
	fmt.Fprintf(out, "Simulated call to %s%s with %d entries.\n\n", simulatedPublicURL, WelcomePath, len(entries))
	call := caller.Call(entries...)
	fmt.Fprintf(out, "\nThe call ended with %v after %d webhook requests.\n", call.End, len(call.Requests))
	if call.End == flowtest.EndDialed {
		fmt.Fprintln(out, "The caller was verified and transferred to an agent.")
	}
	if len(call.Unused) > 0 {
		fmt.Fprintf(out, "The call ended before the caller typed %d of the entries.\n", len(call.Unused))
	}
	return reachedAnswer(call)
}

// reachedAnswer reports, as an error, a call that did not reach the
// backend's answer.
func reachedAnswer(call *flowtest.Call) error {
	switch {
	case call.End == flowtest.EndDialed:
		return nil
	case call.End == flowtest.EndHangup && call.LastSaid() == SayNoMatch:
		return nil
	case call.End == flowtest.EndError:
		return fmt.Errorf("the simulated call failed: %w", call.Err)
	}
	return fmt.Errorf("the simulated call ended (%v) before the backend answered: give a date of birth (MMDDYYYY) and a PIN", call.End)
}

// newLogger logs everything, without times, each line marked with prefix.
func newLogger(out io.Writer, prefix string) *slog.Logger {
	return simulation.Logger(out, prefix)
}

// lockedWriter serializes writes from the IVR, the backend's goroutine
// and the simulated caller.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
