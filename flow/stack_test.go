package flow

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"
)

// fileLine is a stack trace's second line per frame: where the call is,
// with the program counter's offset in the function.
var fileLine = regexp.MustCompile(`^\t.+:\d+( \+0x[0-9a-f]+)?$`)

// TestPanicStackHasNoArguments panics inside Validate, with the digits in
// scope, and checks that the logged stack is the panic's own and shows no
// argument values.
func TestPanicStackHasNoArguments(t *testing.T) {
	var logs bytes.Buffer
	fx := newFixture(t)
	steps := tutorialSteps()
	steps[0].Validate = func(digits string) error { panicWithDigits(digits, len(digits)); return nil }
	f, err := New(fx.master, testAuthToken, steps, postJSON(testBackend{URL: fx.server.URL, OnSuccess: accountSentence}),
		WithPublicURL(testPublicURL), WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	if rec := serve(f, fx.firstStep(t, f), callForm(testCallSid, "Digits", "9753")); !apologized(rec) {
		t.Fatalf("got %d %s, want the apology", rec.Code, rec.Body)
	}
	var line struct{ Outcome, Stack string }
	for l := range strings.Lines(logs.String()) {
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatal(err)
		}
	}
	if line.Outcome != string(OutcomePanic) {
		t.Fatalf("last log line's outcome %q, want %q", line.Outcome, OutcomePanic)
	}
	if !strings.Contains(line.Stack, "panicWithDigits(") {
		t.Fatalf("the stack is not the panic's own:\n%s", line.Stack)
	}
	for l := range strings.Lines(line.Stack) {
		l = strings.TrimSuffix(l, "\n")
		if strings.Contains(l, "0x") && !fileLine.MatchString(l) {
			t.Errorf("stack line with a value: %q", l)
		}
	}
}

//go:noinline
func panicWithDigits(digits string, n int) {
	panic("flow test: " + digits[:n])
}

func TestStripArguments(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"arguments", "main.f(0xc000012345, 0x4)\n", "main.f(...)\n"},
		{"method", "main.(*T).m(0xc000010000, {0x4a1b20?, 0xc000014090?})\n", "main.(*T).m(...)\n"},
		{"panic value", "panic({0x4a1b20?, 0xc000014090?})\n", "panic(...)\n"},
		{"generic", "main.F[...](0x1, 0x2, ...)\n", "main.F[...](...)\n"},
		{"no arguments", "main.main()\n", "main.main()\n"},
		{"file line", "\t/src/main.go:10 +0x25\n", "\t/src/main.go:10 +0x25\n"},
		{"header", "goroutine 7 [running]:\n", "goroutine 7 [running]:\n"},
		{"created by", "created by net/http.(*Server).Serve in goroutine 1\n", "created by net/http.(*Server).Serve in goroutine 1\n"},
		{"last line without newline", "main.f(0x1)", "main.f(...)"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(stripArguments([]byte(tt.in))); got != tt.want {
				t.Fatalf("stripArguments(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
