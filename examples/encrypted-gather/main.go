// Command encrypted-gather is the tutorial's IVR in Go: it asks a caller for
// the last four digits of a card and a PIN, seals both the moment they
// arrive, and hands them sealed to a backend, which it also serves.
//
// Usage:
//
//	encrypted-gather -simulate [DIGITS...]   place a simulated call, no configuration needed
//	encrypted-gather -simulate -studio FLOWSID [DIGITS...]
//	                                         the same call, entered from a Twilio Studio flow and returned to it
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
// replica only: run several replicas with one REDIS_URL, and
// REDIS_AUTOPIPELINE=1 to share Redis connections between concurrent
// calls' claims. The memory record holds SINGLE_USE_ENTRIES tokens
// (default 1,000,000, flow.DefaultMemoryStoreEntries); each lives as long
// as its token could be answered (about 105 s here), so a replica
// answering n steps a second needs about 105·n, and refuses steps (the
// caller hears the apology) when it is full.
//
// The built-in backend is not served on ADDR, the address Twilio reaches,
// but on its own loopback listener, BACKEND_ADDR (default 127.0.0.1 on a
// free port), which only the IVR calls. BIND_VALUES=1 seals each value
// bound to its field and the call (flow.WithBoundValues); a separate
// backend then needs BIND_VALUES=1 too (decrypt-gather does), and the
// tutorial's Node backend cannot open them.
//
// GET /readyz on a loopback listener of its own, READY_ADDR (default
// 127.0.0.1 on a free port; the startup line names it), answers 200 while
// the IVR can answer calls and 503 when its single-use store (Redis) is
// out of reach: for a load balancer's or orchestrator's readiness probe.
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
// The server runs on Go's defaults: tune its garbage collector through the
// environment (GOGC=400 trades memory for throughput; the repository's
// README has figures). It logs one line a request to stderr, each written
// as it happens: WARN and ERROR lines are security events (a bad
// signature, a replayed token) and none waits in a buffer.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	opts, err := parseArgs("encrypted-gather", os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		os.Exit(2)
	}
	switch {
	case opts.studio != "":
		err = simulateStudioCall(os.Stdout, opts.entries, opts.studio)
	case opts.simulate:
		err = simulateCall(os.Stdout, opts.entries, opts.publicKey)
	default:
		err = serve(os.LookupEnv, opts.insecure, os.Stderr)
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, "encrypted-gather:", line)
		}
		os.Exit(1)
	}
}
