package flow

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// TestRespondNoStore: every answer says no-store, and a handler that adds
// to one answer's Cache-Control changes no other answer's.
func TestRespondNoStore(t *testing.T) {
	fx := newFixture(t)
	recs := []*httptest.ResponseRecorder{serve(fx.flow, testWebhook, callForm(testCallSid)), httptest.NewRecorder(), httptest.NewRecorder()}
	for _, rec := range recs[1:] {
		if err := writeAnswer(rec, []byte("<Response><Hangup/></Response>")); err != nil {
			t.Fatal(err)
		}
	}
	for _, rec := range recs {
		if got := rec.Result().Header["Cache-Control"]; !slices.Equal(got, []string{"no-store"}) {
			t.Errorf("Cache-Control = %q, want [no-store]", got)
		}
	}
	recs[1].Header()["Cache-Control"] = append(recs[1].Header()["Cache-Control"], "private")
	recs[2].Header()["Cache-Control"] = append(recs[2].Header()["Cache-Control"], "no-cache")
	recs[2].Header().Add("Cache-Control", "max-age=0")
	if got := recs[1].Header()["Cache-Control"]; !slices.Equal(got, []string{"no-store", "private"}) {
		t.Errorf("after adding to another answer: %q", got)
	}
}

// TestHeaderPerResponse: a middleware that rewrites a header of one
// answer in place leaves every later answer's untouched. The headers were
// once one slice shared by every response.
func TestHeaderPerResponse(t *testing.T) {
	fx := newFixture(t)
	rewrite := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fx.flow.ServeHTTP(w, r)
		w.Header()["Cache-Control"][0] = "public, max-age=600"
		w.Header()["Content-Type"][0] = "text/plain"
	})
	serve(rewrite, testWebhook, callForm(testCallSid))
	rec := serve(fx.flow, testWebhook, callForm(testCallSid))
	if got := rec.Header()["Cache-Control"]; !slices.Equal(got, []string{"no-store"}) {
		t.Errorf("Cache-Control = %q after another answer's was rewritten, want [no-store]", got)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type = %q after another answer's was rewritten", got)
	}
}

// panicPauser panics in Pause, as a buggy RecordingPauser might.
type panicPauser struct{ fakePauser }

func (p *panicPauser) Pause(context.Context, string) error { panic("pauser bug") }

// panicStore panics in Save, after the step ran.
type panicStore struct{ *MemoryStore }

func (s panicStore) Save(context.Context, TokenID, []byte, time.Duration) error { panic("store bug") }

// TestPanicsRecovered: a panic anywhere after the signature check (the
// recording pauser, the store's save, the observer) is recovered: Twilio
// gets TwiML (the apology when nothing was written yet), and the log line
// says panic, with a stack that has no argument words and no panic value.
func TestPanicsRecovered(t *testing.T) {
	finish := func(context.Context, *Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: sayDone}}, nil
	}
	mem, err := NewMemoryStore(100)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		opts        []Option
		wantApology bool // the answer is the apology; else the step, written before the panic
	}{
		{"recording pauser", []Option{WithRecordingPause(&panicPauser{})}, true},
		{"store save", []Option{WithStore(panicStore{mem})}, false}, // saved after the answer is written
		{"observer", []Option{WithObserver(func(Event) { panic("observer bug 4321") })}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logBuffer
			opts := append([]Option{WithPublicURL(testPublicURL), WithLogger(logs.logger())}, tt.opts...)
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive), finish, opts...)
			if err != nil {
				t.Fatal(err)
			}
			form := callForm(testCallSid, "AccountSid", pauserAccount)
			var rec *httptest.ResponseRecorder
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic reached the server: %v", p)
					}
				}()
				rec = serve(f, testWebhook, form)
				if action, err := flowtest.GatherAction(testWebhook, rec.Body.Bytes()); err == nil {
					rec = serve(f, action, callForm(testCallSid, "AccountSid", pauserAccount, "Digits", "4321"))
				}
			}()
			if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "text/xml") {
				t.Fatalf("answer %d %q, want 200 TwiML", rec.Code, rec.Header().Get("Content-Type"))
			}
			if got := apologized(rec); got != tt.wantApology {
				t.Errorf("apology %v, want %v: %s", got, tt.wantApology, rec.Body)
			}
			if logs.count(`"outcome":"panic"`, `"stack"`) == 0 {
				t.Errorf("no panic line with a stack in %s", logs.String())
			}
			if out := logs.String(); strings.Contains(out, " bug") || strings.Contains(out, "4321") || strings.Contains(out, "(0x") {
				t.Errorf("the log holds the panic value or argument words: %s", out)
			}
		})
	}
}
