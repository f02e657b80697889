package flow

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

func TestTutorialCalls(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		wantSaid []string // in order, among everything said
		wantLast string
	}{
		{"success", []string{"1234", "4321"}, []string{sayCard, sayPin}, saySuccess},
		{"not found", []string{"1111", "2222"}, []string{sayCard, sayPin}, sayFailure},
		{"silence then success", []string{"", "1234", "4321"},
			[]string{sayCard, "We didn't receive any input.", sayCard, sayPin}, saySuccess},
		{"too few digits then success", []string{"12", "1234", "4321"},
			[]string{sayCard, "That was not 4 digits.", sayCard, sayPin}, saySuccess},
		{"star then success", []string{"1234", "4*21", "4321"},
			[]string{sayCard, sayPin, "That was not 4 digits.", sayPin}, saySuccess},
		{"only the finish key then success", []string{"#", "1234", "4321"},
			[]string{sayCard, "We didn't receive any input.", sayCard}, saySuccess},
		{"three failures", []string{"", "12", ""},
			[]string{sayCard, sayCard, sayCard}, "We're sorry, we could not get your entry. Goodbye."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			call := fx.caller(nil).Call(tt.keys...)
			if call.End != flowtest.EndHangup {
				t.Fatalf("call ended with %v (%v), want hangup\n%s", call.End, call.Err, call.Transcript())
			}
			if got := call.LastSaid(); got != tt.wantLast {
				t.Errorf("last said %q, want %q\n%s", got, tt.wantLast, call.Transcript())
			}
			if !isSubsequence(tt.wantSaid, call.Said) {
				t.Errorf("said %q, want in order %q", call.Said, tt.wantSaid)
			}
		})
	}
}

func isSubsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestBackendFailures(t *testing.T) {
	slowRelease := make(chan struct{})
	t.Cleanup(func() { close(slowRelease) })
	tests := []struct {
		name    string
		handler http.HandlerFunc
		closed  bool
	}{
		{"down", nil, true},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so the server notices the client leave
			select {
			case <-slowRelease:
			case <-r.Context().Done():
			}
		}, false},
		{"500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, false},
		{"garbage JSON", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{not json")) }, false},
		{"wrong JSON", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"x":1}`)) }, false},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.1:1/", http.StatusTemporaryRedirect)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			srv := httptest.NewServer(tt.handler)
			if tt.closed {
				srv.Close()
			} else {
				t.Cleanup(srv.Close)
			}
			f := fx.newFlow(t, testBackend{URL: srv.URL, Timeout: 300 * time.Millisecond})
			start := time.Now()
			call := fx.caller(f).Call("1234", "4321")
			if got := call.LastSaid(); got != sayFailure {
				t.Errorf("last said %q, want the failure sentence\n%s", got, call.Transcript())
			}
			if call.End != flowtest.EndHangup {
				t.Errorf("end = %v, want hangup", call.End)
			}
			// The bound is generous (shared machine); the point is that a
			// hung backend cannot hold the webhook near Twilio's 15 s.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("call took %v with a failing backend", d)
			}
		})
	}
}

func TestFinishErrorsAndPanics(t *testing.T) {
	fx := newFixture(t)
	apology := "We're sorry, an application error has occurred. Goodbye."
	tests := []struct {
		name   string
		finish Finish
		want   string
	}{
		{"error without verbs", func(context.Context, *Result) ([]twiml.Verb, error) { return nil, errTest }, apology},
		{"error with verbs", func(context.Context, *Result) ([]twiml.Verb, error) {
			return []twiml.Verb{twiml.Say{Text: "custom failure"}}, errTest
		}, "custom failure"},
		{"panic", func(context.Context, *Result) ([]twiml.Verb, error) { panic("digits 1234 in a panic") }, apology},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := New(fx.master, testAuthToken, tutorialSteps(), tt.finish, WithPublicURL(testPublicURL))
			if err != nil {
				t.Fatal(err)
			}
			call := fx.caller(f).Call("1234", "4321")
			if got := call.LastSaid(); got != tt.want || call.End != flowtest.EndHangup {
				t.Fatalf("last said %q (end %v), want %q", got, call.End, tt.want)
			}
			last := call.Requests[len(call.Requests)-1]
			if last.StatusCode != http.StatusOK {
				t.Errorf("status %d, want 200", last.StatusCode)
			}
		})
	}
}

func TestResultFields(t *testing.T) {
	fx := newFixture(t)
	steps := []Step{
		{Name: "menu", Plain: true, Digits: Exactly(1), Prompt: []twiml.GatherVerb{twiml.Say{Text: "Press 1 for cards, 2 for PIN only."}},
			Next: func(v string) string {
				if v == "2" {
					return "pin"
				}
				return ""
			}, Targets: []string{"pin"}},
		{Name: "card", Field: "encryptedCardDigits", Digits: Between(12, 19), Validate: Luhn,
			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Card number, then pound."}}},
		{Name: "pin", Field: "encryptedPinDigits", Digits: Exactly(4), Prompt: []twiml.GatherVerb{twiml.Say{Text: "PIN."}}},
	}
	var got *Result
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		got = r
		return []twiml.Verb{twiml.Say{Text: "done"}}, nil
	}
	f, err := New(fx.master, testAuthToken, steps, finish, WithPublicURL(testPublicURL))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("all steps", func(t *testing.T) {
		call := fx.caller(f).Call("1", "4111111111111112#", "4111111111111111#", "9999")
		if call.LastSaid() != "done" {
			t.Fatalf("call did not finish:\n%s", call.Transcript())
		}
		if got.Plain["menu"] != "1" || len(got.Plain) != 1 || len(got.Sealed) != 2 {
			t.Fatalf("result %+v", got)
		}
		card, err := fx.master.Open(got.Sealed["encryptedCardDigits"], nil)
		if err != nil || string(card) != "4111111111111111" {
			t.Errorf("card opened to %q, %v", card, err)
		}
		pin, err := fx.master.Open(got.Sealed["encryptedPinDigits"], nil)
		if err != nil || string(pin) != "9999" {
			t.Errorf("pin opened to %q, %v", pin, err)
		}
		if got.CallSid != call.Sid {
			t.Errorf("CallSid %q, want %q", got.CallSid, call.Sid)
		}
	})
	t.Run("menu skips a step", func(t *testing.T) {
		call := fx.caller(f).Call("2", "9999")
		if call.LastSaid() != "done" {
			t.Fatalf("call did not finish:\n%s", call.Transcript())
		}
		if _, ok := got.Sealed["encryptedCardDigits"]; ok || len(got.Sealed) != 1 {
			t.Fatalf("result %+v, want only the PIN", got)
		}
	})
}

// TestMounting serves the flow under a prefix with http.StripPrefix and
// checks that relative and absolute action URLs both work.
func TestMounting(t *testing.T) {
	for _, absolute := range []bool{false, true} {
		name := "relative"
		var opts []Option
		if absolute {
			name = "absolute"
			opts = append(opts, WithAbsoluteURLs())
		}
		t.Run(name, func(t *testing.T) {
			fx := newFixture(t, opts...)
			mux := http.NewServeMux()
			mux.Handle("/ivr/", http.StripPrefix("/ivr", fx.flow))
			c := flowtest.NewCaller(mux, testPublicURL+"/ivr/encrypted-gather", testAuthToken)
			call := c.Call("1234", "4321")
			if call.LastSaid() != saySuccess {
				t.Fatalf("call failed (%v, %v):\n%s", call.End, call.Err, call.Transcript())
			}
			for _, req := range call.Requests {
				if !strings.HasPrefix(req.URL, testPublicURL+"/ivr/encrypted-gather") {
					t.Errorf("request to %s, want under the mount point", req.URL)
				}
			}
			body := string(call.Requests[0].Body)
			if hasAbs := strings.Contains(body, `action="https://`); hasAbs != absolute {
				t.Errorf("absolute action URL = %v, want %v:\n%s", hasAbs, absolute, body)
			}
		})
	}
}

func TestNewRejectsBadDefinitions(t *testing.T) {
	fx := newFixture(t)
	finish := postJSON(testBackend{URL: "http://127.0.0.1:1"})
	steps := tutorialSteps()
	dup := append(tutorialSteps(), tutorialSteps()[0])
	dupField := tutorialSteps()
	dupField[1].Field = dupField[0].Field
	tests := []struct {
		name   string
		steps  []Step
		finish Finish
		token  string
		opts   []Option
	}{
		{"no steps", nil, finish, testAuthToken, []Option{WithPublicURL(testPublicURL)}},
		{"nil finish", steps, nil, testAuthToken, []Option{WithPublicURL(testPublicURL)}},
		{"duplicate step", dup, finish, testAuthToken, []Option{WithPublicURL(testPublicURL)}},
		{"duplicate field", dupField, finish, testAuthToken, []Option{WithPublicURL(testPublicURL)}},
		{"no auth token", steps, finish, "", []Option{WithPublicURL(testPublicURL)}},
		{"no public URL", steps, finish, testAuthToken, nil},
		{"bad public URL", steps, finish, testAuthToken, []Option{WithPublicURL("ftp://x")}},
		{"public URL with query", steps, finish, testAuthToken, []Option{WithPublicURL("https://x.example.com/?a=b")}},
		{"short max age", steps, finish, testAuthToken, []Option{WithPublicURL(testPublicURL), WithMaxAge(time.Millisecond)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(fx.master, tt.token, tt.steps, tt.finish, tt.opts...); !errors.Is(err, ErrDefinition) {
				t.Fatalf("New: %v, want ErrDefinition", err)
			}
		})
	}
	if _, err := New(nil, testAuthToken, steps, finish, WithPublicURL(testPublicURL)); !errors.Is(err, ErrDefinition) {
		t.Errorf("New with a nil cipher: %v, want ErrDefinition", err)
	}
}

// TestConcurrentCalls runs calls in parallel through one Flow (run with
// -race to make this meaningful).
func TestConcurrentCalls(t *testing.T) {
	fx := newFixture(t)
	var failures atomic.Int32
	done := make(chan struct{})
	const calls = 8
	for range calls {
		go func() {
			defer func() { done <- struct{}{} }()
			if fx.caller(nil).Call("1111", "2222").LastSaid() != sayFailure {
				failures.Add(1)
			}
		}()
	}
	for range calls {
		<-done
	}
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d of %d concurrent calls went wrong", n, calls)
	}
}

var errTest = errors.New("test failure")
