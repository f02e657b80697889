package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// TestLimitCall places calls against the limit server over HTTP, as
// loadcall does: the first step's action leads to the last.
func TestLimitCall(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	l := newLimit("http://" + srv.Listener.Addr().String() + "/decrypt-gather")
	srv.Config.Handler = l.mux()
	srv.Start()
	defer srv.Close()
	tests := []struct {
		name      string
		path      string
		keys      []string
		wantSaid  string
		wantEnd   flowtest.End
		wantCalls int
	}{
		{"two steps", "/first", []string{"4321"}, "Your account number is AC12345678 and your balance is 12.55", flowtest.EndHangup, 2},
		{"silence ends the call", "/first", nil, "last 4 digits", flowtest.EndCompleted, 1},
		{"unknown path", "/missing", nil, "", flowtest.EndError, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := flowtest.NewCaller(nil, srv.URL+tt.path, "").CallContext(ctxFor(t), tt.keys...)
			if call.End != tt.wantEnd || len(call.Requests) != tt.wantCalls {
				t.Fatalf("end %v after %d requests, want %v after %d\n%s", call.End, len(call.Requests), tt.wantEnd, tt.wantCalls, call.Transcript())
			}
			if tt.wantSaid != "" && !strings.Contains(call.Said[len(call.Said)-1], tt.wantSaid) {
				t.Errorf("said %q", call.Said)
			}
		})
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestFirstAnswerIsValid checks the hand-written document against the
// TwiML rules.
func TestFirstAnswerIsValid(t *testing.T) {
	doc, err := twiml.Parse([]byte(firstAnswer))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains([]byte(doc.String()), []byte(`action="/last"`)) {
		t.Errorf("first answer does not lead to /last: %s", doc)
	}
}
