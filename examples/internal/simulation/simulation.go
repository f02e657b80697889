// Package simulation is what the examples' -simulate modes print besides
// the call itself: the caller's entries, each request their backend
// receives with its answer (to show that only sealed values reach it, and
// signed), and their logs, each line marked apart from the call.
package simulation

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/encgather/encgather/flow/backend"
)

// Entries describes a simulated caller's entries: "1234, (silence), 4321".
func Entries(entries []string) string {
	parts := make([]string, len(entries))
	for i, e := range entries {
		parts[i] = e
		if e == "" {
			parts[i] = "(silence)"
		}
	}
	return strings.Join(parts, ", ")
}

// ShowRequests prints to out each request h receives, and its answer.
func ShowRequests(out io.Writer, h http.Handler) http.Handler {
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

// recorder keeps a copy of what a handler answers.
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

// Logger logs everything to out, at debug level and without times, each
// line beginning with prefix ("ivr log: ").
func Logger(out io.Writer, prefix string) *slog.Logger {
	return slog.New(slog.NewTextHandler(&prefixWriter{w: out, prefix: prefix},
		&slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: dropTime}))
}

// prefixWriter marks each log line, in one write with the line.
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix+string(b)); err != nil {
		return 0, err
	}
	return len(b), nil
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
