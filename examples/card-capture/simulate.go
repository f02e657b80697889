package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
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
	logger := slog.New(slog.NewTextHandler(&prefixWriter{w: out, prefix: "ivr log: "},
		&slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: dropTime}))
	backendLog := slog.New(slog.NewTextHandler(&prefixWriter{w: out, prefix: "backend log: "},
		&slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: dropTime}))
	h, v, err := newBackend(cipher, backend.NewSecrets(signing), backendLog)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: logRequests(out, h), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	token := newAuthToken()
	ivr, err := newIVR(ivrConfig{cipher: cipher, authToken: token, publicURL: simulatedPublicURL,
		backendURL: "http://" + ln.Addr().String() + TokenizePath, signing: signing, logger: logger})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Simulated call to %s%s; the caller types %s\n\n", simulatedPublicURL, PayPath, describe(entries))
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

func describe(entries []string) string {
	parts := make([]string, len(entries))
	for i, e := range entries {
		parts[i] = e
		if e == "" {
			parts[i] = "(silence)"
		}
	}
	return strings.Join(parts, ", ")
}

// logRequests prints each request the backend receives and its answer:
// only sealed values reach it, signed.
func logRequests(out io.Writer, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		r.Body = io.NopCloser(bytes.NewReader(body))
		signed := "unsigned"
		if r.Header.Get(backend.SignatureHeader) != "" {
			signed = "signed"
		}
		fmt.Fprintf(out, "backend <- %s %s (%s) %s\n", r.Method, r.URL.Path, signed, body)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		fmt.Fprintf(out, "backend -> %d %s\n", rec.status, strings.TrimSpace(rec.body.String()))
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

// prefixWriter marks each log line so it stands apart from the call.
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix); err != nil {
		return 0, err
	}
	return p.w.Write(b)
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
