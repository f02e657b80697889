// Command encrypted-gather is the tutorial's IVR in Go: it asks a caller for
// the last four digits of a card and a PIN, seals both the moment they
// arrive, and hands them sealed to a backend, which it also serves.
//
// Usage:
//
//	encrypted-gather -simulate [DIGITS]   place a simulated call, no configuration needed
//	encrypted-gather                      serve /encrypted-gather and /decrypt-gather
//
// DIGITS are the caller's entries, comma-separated; an empty entry is
// silence. The default is the tutorial's known caller, 1234,4321.
//
// The server reads ADDR (default localhost:8080), PUBLIC_URL (the base URL
// Twilio calls), TWILIO_AUTH_TOKEN, AES_SECRET, AES_SECRET_PREVIOUS and
// BACKEND_URL (an external backend instead of the built-in one).
//
// The server runs the garbage collector with GOGC=400 unless GOGC is set,
// and buffers its log, flushing it every second and at exit.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

func main() {
	simulate := flag.Bool("simulate", false, "place a simulated call in-process and print it; needs no configuration")
	insecure := flag.Bool("insecure-skip-signature-check", false, "accept requests without a valid X-Twilio-Signature (local testing only)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [-simulate [DIGITS]] [-insecure-skip-signature-check]\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()

	if *simulate {
		keys := []string{"1234", "4321"}
		if flag.NArg() > 0 {
			keys = strings.Split(flag.Arg(0), ",")
		}
		if err := simulateCall(os.Stdout, keys); err != nil {
			fmt.Fprintln(os.Stderr, "encrypted-gather:", err)
			os.Exit(1)
		}
		return
	}
	setGCTarget()
	logs := newLogBuffer(os.Stderr, logBufferSize, logFlushInterval)
	err := serve(os.LookupEnv, *insecure, logs)
	logs.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "encrypted-gather:", err)
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
