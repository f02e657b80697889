package leaktest

import (
	"fmt"
	"io"
	"testing"
)

// recorder is a testing.TB that counts the failures reported to it.
type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.errors++ }
func (r *recorder) Fatal(...any)          { r.errors++ }

// named prints as its name only, as a redacted key does.
type named struct {
	name   string
	secret []byte
}

func (n named) Format(f fmt.State, _ rune) { io.WriteString(f, "named("+n.name+")") }

func TestCheck(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	tells := Tells(secret)
	tests := []struct {
		name     string
		v        any
		mustShow string
		fails    bool
	}{
		{"bytes held unexported", struct{ b []byte }{secret}, "", true},
		{"array held unexported", struct{ b [32]byte }{[32]byte(secret)}, "", true},
		{"string held unexported", struct{ s string }{string(secret)}, "", true},
		{"exported bytes, seen by encoding/json too", struct{ B []byte }{secret}, "", true},
		{"redacted", named{"id1", secret}, "id1", false},
		{"redacted, but not showing what it must", named{"id1", secret}, "id2", true},
		{"unrelated", struct{ n int }{7}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Check(r, tt.v, tells, tt.mustShow)
			if failed := r.errors > 0; failed != tt.fails {
				t.Errorf("Check reported %d failures, want failing = %v", r.errors, tt.fails)
			}
		})
	}
}

func TestOutputs(t *testing.T) {
	outputs, err := Outputs(struct{ N int }{42})
	if err != nil {
		t.Fatal(err)
	}
	want := len(Verbs) + 3
	if len(outputs) != want {
		t.Errorf("%d outputs, want %d", len(outputs), want)
	}
	for _, how := range []string{"%v", "slog text", "slog JSON", "encoding/json"} {
		if out, ok := outputs[how]; !ok || out == "" {
			t.Errorf("no output for %s", how)
		}
	}
	if _, err := Outputs(func() {}); err == nil {
		t.Error("a value encoding/json refuses gave no error")
	}
}
