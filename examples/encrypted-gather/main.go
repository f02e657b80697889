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
// BACKEND_URL (an external backend instead of the built-in one), and
// REDIS_URL (for example redis://localhost:6379/0): the Redis that every
// replica shares to make each step's state token answer once. Without it,
// each replica keeps its own record in memory, which protects a single
// replica only.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
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
	if err := serve(os.LookupEnv, *insecure); err != nil {
		fmt.Fprintln(os.Stderr, "encrypted-gather:", err)
		os.Exit(1)
	}
}
