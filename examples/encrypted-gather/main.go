// Command encrypted-gather is the tutorial's IVR in Go: it asks a caller for
// the last four digits of a card and a PIN, seals both the moment they
// arrive, and hands them sealed to a backend, which it also serves.
//
// Usage:
//
//	encrypted-gather -simulate [DIGITS...]   place a simulated call, no configuration needed
//	encrypted-gather                         serve /encrypted-gather, and /decrypt-gather on loopback
//
// DIGITS are the caller's entries, as separate arguments or
// comma-separated (-simulate 1234 4321, -simulate 1234,4321 and
// -simulate=1234,4321 are the same); an empty entry is silence. The
// default is the tutorial's known caller, 1234 4321. The program reports
// entries the call never used, and exits non-zero when the call did not
// reach the backend's answer.
//
// The server reads ADDR (default localhost:8080), PUBLIC_URL (the base URL
// Twilio calls, without /encrypted-gather), TWILIO_AUTH_TOKEN, AES_SECRET,
// AES_SECRET_PREVIOUS and BACKEND_URL (an external backend instead of the
// built-in one). It reports every configuration problem at once, naming
// the variable and never printing its value.
//
// REDIS_URL (for example redis://localhost:6379/0) names the Redis that
// every replica shares to make each step's state token answer once. Without
// it, each replica keeps its own record in memory, which protects a single
// replica only: run several replicas with one REDIS_URL. That record holds
// SINGLE_USE_ENTRIES tokens (default 50,000); each lives 15 minutes, so a
// replica answering n steps a second needs about 900·n, and refuses steps
// (the caller hears the apology) when it is full.
//
// The built-in backend is not served on ADDR, the address Twilio reaches,
// but on its own loopback listener, BACKEND_ADDR (default 127.0.0.1 on a
// free port), which only the IVR calls. BIND_VALUES=1 seals each value
// bound to its field and the call (flow.WithBoundValues); a separate
// backend then needs BIND_VALUES=1 too (decrypt-gather does), and the
// tutorial's Node backend cannot open them.
//
// BACKEND_PUBLIC_KEY (from keygen -public-key) puts the IVR in public-key
// mode: it seals each value to the backend's public key, bound to its
// field and call, and seals its state with STATE_SECRET (an AES key of its
// own, from keygen; STATE_SECRET_PREVIOUS while it rotates), so that it
// holds no key that opens a value. It then refuses to start with
// AES_SECRET, BACKEND_PRIVATE_KEY or BIND_VALUES set, needs BACKEND_URL,
// and serves no backend: decrypt-gather with BACKEND_PRIVATE_KEY does.
// -simulate -public-key shows the two apart, with fresh keys.
//
// The server runs the garbage collector with GOGC=400 unless GOGC is set,
// and buffers its log, flushing it every second and at exit.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

func main() {
	opts, err := parseArgs("encrypted-gather", os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		os.Exit(2)
	}
	if opts.simulate {
		err = simulateCall(os.Stdout, opts.entries, opts.publicKey)
	} else {
		setGCTarget()
		logs := newLogBuffer(os.Stderr, logBufferSize, logFlushInterval)
		err = serve(os.LookupEnv, opts.insecure, logs)
		logs.Close()
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, "encrypted-gather:", line)
		}
		os.Exit(1)
	}
}

// The server's log is buffered: up to logBufferSize bytes, written at least
// every logFlushInterval and at exit. A crash that skips the exit (SIGKILL,
// the OOM killer) loses at most that interval's lines.
const (
	logBufferSize    = 32 << 10
	logFlushInterval = time.Second
)

// gcPercent is the server's GC target unless the operator sets GOGC: the
// heap grows to five times what is live before a collection, instead of
// twice. A call's garbage is short-lived and the live heap small, so this
// trades a few megabytes for a collector that runs a quarter as often.
const gcPercent = 400

func setGCTarget() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
