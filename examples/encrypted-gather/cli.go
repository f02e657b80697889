package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/encgather/encgather/flow/studio"
)

// defaultEntries are what the simulated caller types without DIGITS: the
// tutorial's known caller.
var defaultEntries = []string{"1234", "4321"}

// options are the command line's settings.
type options struct {
	simulate  bool
	entries   []string // the simulated caller's entries; "" is silence
	insecure  bool
	publicKey bool   // -public-key: simulate public-key mode
	studio    string // -studio FLOWSID: simulate a call entered from a Studio flow, and its return
}

// simulateFlag is -simulate: a boolean flag that also takes the caller's
// entries, so that "-simulate", "-simulate 1234 4321",
// "-simulate 1234,4321" and "-simulate=1234,4321" all work.
type simulateFlag struct {
	on      bool
	entries []string
}

func (f *simulateFlag) IsBoolFlag() bool { return true }

func (f *simulateFlag) String() string {
	if f == nil || !f.on {
		return "false"
	}
	return "true"
}

func (f *simulateFlag) Set(s string) error {
	switch s {
	case "true":
		f.on = true
		return nil
	case "false":
		f.on = false
		return nil
	}
	f.on = true
	f.entries = append(f.entries, strings.Split(s, ",")...)
	return nil
}

// errUsage is reported for a command line that cannot be run; the usage
// has been printed.
var errUsage = errors.New("usage")

// parseArgs reads the command line (without the program name), writing
// usage and flag errors to out.
func parseArgs(name string, args []string, out io.Writer) (options, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	var sim simulateFlag
	fs.Var(&sim, "simulate", "place a simulated call in-process and print it; needs no configuration")
	insecure := fs.Bool("insecure-skip-signature-check", false, "accept requests without a valid X-Twilio-Signature (local testing only)")
	publicKey := fs.Bool("public-key", false, "with -simulate: seal to a fresh backend key pair (public-key mode); the server's mode comes from BACKEND_PUBLIC_KEY")
	studioFlow := fs.String("studio", "", "with -simulate: enter the call from the Twilio Studio flow `FLOWSID` (FW...) as its TwiML Redirect widget does, and print the return to it")
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: %s [-insecure-skip-signature-check]\n       %s -simulate [-public-key | -studio FLOWSID] [DIGITS...]\n\n", name, name)
		fmt.Fprintln(out, "DIGITS are the simulated caller's entries, as separate arguments or comma-separated;")
		fmt.Fprintln(out, "an empty entry is silence. The default is the tutorial's known caller, 1234 4321.")
		fmt.Fprintln(out)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return options{}, err
		}
		return options{}, errUsage
	}
	opts := options{simulate: sim.on, insecure: *insecure, entries: sim.entries, publicKey: *publicKey, studio: *studioFlow}
	if !opts.simulate && opts.publicKey {
		fmt.Fprintf(out, "%s: -public-key goes with -simulate; the server is in public-key mode when BACKEND_PUBLIC_KEY is set\n", name)
		return options{}, errUsage
	}
	if err := checkStudioFlag(name, opts, out); err != nil {
		return options{}, err
	}
	if !opts.simulate {
		if fs.NArg() > 0 {
			fmt.Fprintf(out, "%s: unexpected arguments; DIGITS go with -simulate\n", name)
			fs.Usage()
			return options{}, errUsage
		}
		return opts, nil
	}
	for _, arg := range fs.Args() {
		opts.entries = append(opts.entries, strings.Split(arg, ",")...)
	}
	if len(opts.entries) == 0 {
		opts.entries = defaultEntries
	}
	for i, e := range opts.entries {
		if strings.Trim(e, "0123456789*#") != "" {
			fmt.Fprintf(out, "%s: -simulate: entry %d has a key other than 0-9, * and #\n", name, i+1)
			return options{}, errUsage
		}
	}
	return opts, nil
}

// checkStudioFlag refuses -studio without -simulate, with -public-key, or
// with a value that is no Flow SID.
func checkStudioFlag(name string, opts options, out io.Writer) error {
	switch {
	case opts.studio == "":
		return nil
	case !opts.simulate:
		fmt.Fprintf(out, "%s: -studio goes with -simulate\n", name)
	case opts.publicKey:
		fmt.Fprintf(out, "%s: -studio and -public-key are simulated one at a time\n", name)
	case !studio.ValidFlowSid(opts.studio):
		fmt.Fprintf(out, "%s: -studio: %q is not a Flow SID (FW and 32 lowercase hex digits)\n", name, opts.studio)
	default:
		return nil
	}
	return errUsage
}
