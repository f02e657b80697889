// Command keygen prints fresh keys.
//
// By default it prints an AES-256 key as 64 hex characters, the form
// AES_SECRET takes:
//
//	export AES_SECRET=$(go run ./examples/keygen)
//
// With -public-key it prints a key pair for public-key mode as environment
// lines: BACKEND_PUBLIC_KEY for the IVR, which seals, and
// BACKEND_PRIVATE_KEY for the backend, which opens. -kem chooses the KEM:
// x25519 (the default) or mlkem768x25519 (hybrid post-quantum).
//
//	go run ./examples/keygen -public-key -kem mlkem768x25519 > backend.env
//
// With -signing-secret it prints a secret for BACKEND_SIGNING_SECRET, 64
// hex characters, which the IVR signs its requests to the backend with
// and the backend checks them with; give both the same:
//
//	export BACKEND_SIGNING_SECRET=$(go run ./examples/keygen -signing-secret)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/pubseal"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `Usage: keygen [-public-key [-kem x25519|mlkem768x25519] | -signing-secret]

Without flags, keygen prints a new AES-256 key, 64 hex characters, for
AES_SECRET. With -public-key, it prints a new key pair as two lines:
%s=... for the IVR, which seals, and
%s=... for the backend, which opens. Keep the private
key as secret as AES_SECRET; the IVR must never hold it. With
-signing-secret, it prints a new secret, 64 hex characters, for
BACKEND_SIGNING_SECRET: the IVR and the backend both hold it.

Flags:
`

// run is main with its arguments and outputs given; it returns the exit
// code: 0, or 2 for bad usage, or 1 if a key cannot be made.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	publicKey := fs.Bool("public-key", false, "print a key pair for public-key mode instead of an AES key")
	signingSecret := fs.Bool("signing-secret", false, "print a secret for BACKEND_SIGNING_SECRET instead of an AES key")
	kem := pubseal.X25519
	fs.TextVar(&kem, "kem", pubseal.X25519, "the key pair's `KEM`: x25519 or mlkem768x25519 (with -public-key)")
	printUsage := func(w io.Writer) {
		fs.SetOutput(w)
		fmt.Fprintf(w, usage, pubseal.EnvPublicKey, pubseal.EnvPrivateKey)
		fs.PrintDefaults()
	}
	fs.Usage = func() {} // printed below: on stdout when asked for, else on stderr
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0
		}
		printUsage(stderr)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "keygen: unexpected argument %q\n", fs.Arg(0))
		printUsage(stderr)
		return 2
	}
	kemSet := false
	fs.Visit(func(f *flag.Flag) { kemSet = kemSet || f.Name == "kem" })
	if kemSet && !*publicKey {
		fmt.Fprintln(stderr, "keygen: -kem applies only with -public-key")
		return 2
	}
	if *signingSecret && *publicKey {
		fmt.Fprintln(stderr, "keygen: -signing-secret and -public-key print different things: give one")
		return 2
	}
	if *signingSecret {
		fmt.Fprintln(stdout, backend.GenerateSecret().ExportHex())
		return 0
	}

	if !*publicKey {
		fmt.Fprintln(stdout, aescrypt.GenerateKey().ExportHex())
		return 0
	}
	k, err := pubseal.GenerateKey(kem)
	if err != nil {
		fmt.Fprintln(stderr, "keygen:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s=%s\n%s=%s\n", pubseal.EnvPublicKey, k.PublicKey(), pubseal.EnvPrivateKey, k.ExportText())
	return 0
}
