package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/pubseal"
)

func runKeygen(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestKeygenAESKey(t *testing.T) {
	_, first, _ := runKeygen(t)
	code, second, stderr := runKeygen(t)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Fields(first + second)
	if len(lines) != 2 || lines[0] == lines[1] {
		t.Fatalf("output %q, want two different keys", first+second)
	}
	for _, l := range lines {
		if _, err := aescrypt.ParseKey(l); err != nil || len(l) != 64 || l != strings.ToLower(l) {
			t.Errorf("%q is not a 64-character lowercase hex key: %v", l, err)
		}
	}
}

func TestKeygenKeyPair(t *testing.T) {
	tests := []struct {
		name string
		args []string
		kem  pubseal.KEM
	}{
		{"default KEM", []string{"-public-key"}, pubseal.X25519},
		{"x25519", []string{"-public-key", "-kem", "x25519"}, pubseal.X25519},
		{"mlkem768x25519", []string{"-kem=mlkem768x25519", "-public-key"}, pubseal.MLKEM768X25519},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runKeygen(t, tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			env := map[string]string{}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			for _, line := range lines {
				name, value, ok := strings.Cut(line, "=")
				if !ok {
					t.Fatalf("line %.40q is not NAME=value", line)
				}
				env[name] = value
			}
			if len(lines) != 2 || len(env) != 2 {
				t.Fatalf("want two lines, got %d", len(lines))
			}
			lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
			pk, err := pubseal.PublicKeyFromLookup(lookup)
			if err != nil {
				t.Fatal(err)
			}
			keys, err := pubseal.PrivateKeysFromLookup(lookup)
			if err != nil {
				t.Fatal(err)
			}
			if pk.KEM() != tt.kem || keys.Keys()[0].ID() != pk.ID() {
				t.Fatalf("KEM %v, IDs %s and %s", pk.KEM(), pk.ID(), keys.Keys()[0].ID())
			}
			sealed, err := pk.Seal([]byte("1234"), "f", "CA1")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := keys.Open(sealed, "f", "CA1"); err != nil || string(got) != "1234" {
				t.Fatalf("the pair does not match: %q, %v", got, err)
			}
		})
	}
}

// keyLike matches anything keygen prints as a key.
var keyLike = regexp.MustCompile(`[0-9a-f]{64}|encgather-(secret|pub)-v1-[a-z0-9]+-[0-9a-f]`)

func TestKeygenUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"-h", []string{"-h"}, 0, "Usage: keygen", ""},
		{"-help", []string{"-help"}, 0, "-public-key", ""},
		{"-h after -public-key", []string{"-public-key", "-h"}, 0, "Usage: keygen", ""},
		{"unknown KEM", []string{"-public-key", "-kem", "p256"}, 2, "", "want x25519 or mlkem768x25519"},
		{"-kem without -public-key", []string{"-kem", "x25519"}, 2, "", "-kem applies only with -public-key"},
		{"unknown flag", []string{"-aes"}, 2, "", "flag provided but not defined"},
		{"argument", []string{"now"}, 2, "", `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runKeygen(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d", code, tt.code)
			}
			if !strings.Contains(stdout, tt.wantStdout) || (tt.wantStdout == "" && stdout != "") {
				t.Errorf("stdout %q, want %q", stdout, tt.wantStdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) || (tt.wantStderr == "" && stderr != "") {
				t.Errorf("stderr %q, want %q", stderr, tt.wantStderr)
			}
			if keyLike.MatchString(stdout + stderr) {
				t.Errorf("printed a key: %q", stdout+stderr)
			}
		})
	}
}

func TestKeygenSigningSecret(t *testing.T) {
	_, first, _ := runKeygen(t, "-signing-secret")
	code, second, stderr := runKeygen(t, "-signing-secret")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Fields(first + second)
	if len(lines) != 2 || lines[0] == lines[1] {
		t.Fatalf("output %q, want two different secrets", first+second)
	}
	for _, l := range lines {
		if _, err := backend.ParseSecret(l); err != nil || len(l) != 64 || l != strings.ToLower(l) {
			t.Errorf("%q is not a 64-character lowercase hex secret: %v", l, err)
		}
	}
	if code, _, stderr := runKeygen(t, "-signing-secret", "-public-key"); code != 2 || stderr == "" {
		t.Errorf("-signing-secret -public-key: exit %d, stderr %q", code, stderr)
	}
}
