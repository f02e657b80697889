package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
)

func TestKeygenPrintsAKey(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	main()
	main()
	os.Stdout = stdout
	w.Close()
	var out bytes.Buffer
	out.ReadFrom(r)
	lines := strings.Fields(out.String())
	if len(lines) != 2 || lines[0] == lines[1] {
		t.Fatalf("output %q, want two different keys", out.String())
	}
	for _, l := range lines {
		if _, err := aescrypt.ParseKey(l); err != nil || len(l) != 64 || l != strings.ToLower(l) {
			t.Errorf("%q is not a 64-character lowercase hex key: %v", l, err)
		}
	}
}
