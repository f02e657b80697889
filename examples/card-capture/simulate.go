package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/encgather/encgather/examples/internal/simulation"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
)

// simulatedPublicURL is the reserved example host the simulated Twilio
// calls; nothing leaves the process but the backend call on loopback.
const simulatedPublicURL = "https://ivr.example.com"

// simulateCall runs the IVR and its backend with a fresh key, auth token
// and signing secret, places one call through a simulated Twilio that
// types entries, and prints the conversation, each webhook and backend
// request, and both log streams, all at debug level.
func simulateCall(out io.Writer, entries []string) error {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	signing := backend.GenerateSecret()
	logger := simulation.Logger(out, "ivr log: ")
	backendLog := simulation.Logger(out, "backend log: ")
	h, v, err := newBackend(cipher, backend.NewSecrets(signing), backendLog)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: simulation.ShowRequests(out, h), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	token := newAuthToken()
	ivr, err := newIVR(ivrConfig{cipher: cipher, authToken: token, publicURL: simulatedPublicURL,
		backendURL: "http://" + ln.Addr().String() + TokenizePath, signing: signing, logger: logger})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Simulated call to %s%s; the caller types %s\n\n", simulatedPublicURL, PayPath, simulation.Entries(entries))
	caller := flowtest.NewCaller(ivr, simulatedPublicURL+PayPath, token)
	caller.Log = out
	call := caller.Call(entries...)
	fmt.Fprintf(out, "\nThe call ended with %v after %d webhook requests; the vault holds %d card(s).\n",
		call.End, len(call.Requests), v.Len())
	if len(call.Unused) > 0 {
		fmt.Fprintf(out, "The call ended before the caller typed %d of the entries.\n", len(call.Unused))
	}
	switch {
	case call.End == flowtest.EndError:
		return fmt.Errorf("the simulated call failed: %w", call.Err)
	case v.Len() != 1 || !strings.Contains(call.LastSaid(), "token tok_"):
		return fmt.Errorf("the simulated call ended (%v) without a token: check the entries", call.End)
	}
	return nil
}

// newAuthToken returns a fresh Twilio-like auth token.
func newAuthToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
