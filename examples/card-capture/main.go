// Command card-capture takes a payment card over the phone, as Twilio's
// <Pay> does, without a payment connector: the IVR asks for the card
// number, its expiry and its security code with package flow/card, seals
// each the moment it arrives, and posts them, signed, to a tokenizing
// backend. The backend verifies the IVR's signature, opens the values,
// checks them again, keeps the card in memory under an opaque random
// token, and answers the token, the brand and the last four digits, which
// the IVR says to the caller. Neither half ever logs a number, an expiry
// or a security code.
//
// Usage:
//
//	card-capture -simulate NUMBER MMYY CODE   place a simulated call, no configuration needed
//	card-capture                              serve /pay, and /tokenize on loopback
//
// The entries are the caller's, one a <Gather>: -simulate 4111111111111111
// 1230 123 is a Visa test card expiring December 2030. More entries retry:
// -simulate 4111111111111112 4111111111111111 1230 123 hears that the first
// number is not valid. '*' ends the capture; an empty entry is silence.
// The program exits non-zero when the call did not get a token.
//
// The server reads ADDR (default localhost:8080), PUBLIC_URL (the base URL
// Twilio calls, without /pay), TWILIO_AUTH_TOKEN and AES_SECRET. The
// backend listens on its own loopback port, signed with a secret made at
// start; a real deployment runs it apart, behind its own network rules,
// and hands the token to a payment processor's vault.
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
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "card-capture:", err)
		}
		os.Exit(1)
	}
}

// run parses args and simulates a call or serves.
func run(args []string, out, logs io.Writer) error {
	fs := flag.NewFlagSet("card-capture", flag.ContinueOnError)
	fs.SetOutput(logs)
	simulate := fs.Bool("simulate", false, "place a simulated call with the entries given as arguments")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *simulate {
		var entries []string
		for _, a := range fs.Args() {
			entries = append(entries, strings.Split(a, ",")...)
		}
		return simulateCall(out, entries)
	}
	if fs.NArg() > 0 {
		return errors.New("entries are for -simulate only")
	}
	return serve(os.LookupEnv, logs)
}
