// Command verify is a complete example service: a caller is welcomed,
// verified by date of birth and PIN, and connected to an agent.
//
// Usage:
//
//	verify -simulate DATE PIN   place a simulated call, no configuration needed
//	verify                      serve, configured from the environment
//
// Its mux has three routes, each behind Twilio's signature check:
// /voice/welcome (the number's voice webhook) says hello and redirects
// into /voice/verify, the flow, which asks for a date of birth as eight
// digits (MMDDYYYY; a real date in the past, an age of 18 to 120 on the
// flow's clock) and a six-digit PIN, both sealed the moment they arrive;
// /voice/status takes Twilio's status callback. The flow posts both values,
// sealed and bound to their field and call, to the backend (package
// examples/verify/accounts), signed: the backend opens them, limits wrong
// guesses per caller's number and date of birth, and answers match or no
// match. On a match the caller is connected to the agent with <Dial>; on
// no match (or a locked caller) the caller hears the decline sentence.
//
// -simulate DATE PIN runs all of it in one process with fresh secrets
// (the backend on loopback, so the values travel over HTTP) and prints the
// conversation, the requests and the log lines. The one customer is
// 01021980 with PIN 654321. It exits 0 when the call reached the backend's
// answer. No line but the simulated caller's own shows an entered value.
//
// The server reads PUBLIC_URL (the base URL Twilio calls, without a
// route), TWILIO_AUTH_TOKEN, AES_SECRET (and AES_SECRET_PREVIOUS),
// BACKEND_SIGNING_SECRET (and BACKEND_SIGNING_SECRET_PREVIOUS), and, with
// defaults, ADDR (localhost:8080), AGENT ("client:agent", or a number such
// as "+15005550006"), BACKEND_ADDR (127.0.0.1 on a free port) and
// LOOPBACK_ADDR (127.0.0.1:8081), where GET /readyz answers 200 when the
// flow can take calls (flow.Flow.Ready). It reports every configuration
// problem at once, naming the variable, never printing a value.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}

// run is the program: it returns the exit status.
func run(args []string, lookup func(string) (string, bool), stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sim := fs.Bool("simulate", false, "place a simulated call with the entries given as arguments (DATE PIN)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verify [-simulate DATE PIN]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var err error
	switch {
	case *sim:
		err = simulate(stdout, fs.Args())
	case fs.NArg() > 0:
		fs.Usage()
		return 2
	default:
		err = serve(lookup, stderr)
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(stderr, "verify:", line)
		}
		return 1
	}
	return 0
}
