package recording_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/recording"
)

// TestPauseResume checks the errors Pause and Resume report for
// each answer of the REST API.
func TestPauseResume(t *testing.T) {
	tests := []struct {
		name    string
		answer  fakeAnswer
		wantErr error // nil, flow.ErrNoActiveRecording or recording.ErrUpdate
	}{
		{name: "ok", answer: answerOK},
		{name: "not found", answer: answerNotFound, wantErr: flow.ErrNoActiveRecording},
		{name: "server error", answer: answerError, wantErr: recording.ErrUpdate},
		{name: "not JSON", answer: answerGarbage, wantErr: recording.ErrUpdate},
		{name: "timeout", answer: answerHang, wantErr: recording.ErrUpdate},
		{name: "redirect saying so", answer: answerRedirect, wantErr: recording.ErrUpdate},
		{name: "2xx in the other status", answer: answerOtherStatus, wantErr: recording.ErrUpdate},
		{name: "2xx without a status", answer: answerNoStatus, wantErr: recording.ErrUpdate},
		{name: "2xx without a body", answer: answerEmpty, wantErr: recording.ErrUpdate},
		{name: "404 with another code", answer: answerNotFoundCode, wantErr: recording.ErrUpdate},
		{name: "404 not from Twilio", answer: answerNotFoundHTML, wantErr: recording.ErrUpdate},
		{name: "code 20404 under 400", answer: answerCodeNotStatus, wantErr: recording.ErrUpdate},
	}
	ops := []struct {
		name   string
		status string
		call   func(*recording.Client, context.Context, string) error
	}{
		{"Pause", "paused", (*recording.Client).Pause},
		{"Resume", "in-progress", (*recording.Client).Resume},
	}
	for _, op := range ops {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				ft := newFakeTwilio(t)
				ft.answer(op.status, tt.answer)
				rec := ft.recordings(t, recording.WithTimeout(50*time.Millisecond))
				err := op.call(rec, context.Background(), recCallSid)
				if tt.wantErr == nil && err != nil {
					t.Fatalf("%s: %v", op.name, err)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("%s: %v, want %v", op.name, err, tt.wantErr)
				}
				if tt.wantErr == recording.ErrUpdate && errors.Is(err, flow.ErrNoActiveRecording) {
					t.Errorf("%s: %v is also no-active-recording", op.name, err)
				}
				if err != nil && (strings.Contains(err.Error(), recAuthToken) || !strings.HasPrefix(err.Error(), "recording: ")) {
					t.Errorf("%s: error %q leaks the token or lacks the package prefix", op.name, err)
				}
				reqs := ft.recorded()
				if len(reqs) != 1 {
					t.Fatalf("%d REST requests, want 1", len(reqs))
				}
				checkRESTRequest(t, 0, reqs[0], recAccountSid, recAuthToken, nil)
				if reqs[0].status() != op.status {
					t.Errorf("Status %q, want %q", reqs[0].status(), op.status)
				}
			})
		}
	}
}

// TestContext checks that Pause makes no request once its context has
// ended, and refuses a malformed CallSid without a request.
func TestContext(t *testing.T) {
	ft := newFakeTwilio(t)
	ft.answer("paused", answerHang)
	rec := ft.recordings(t, recording.WithTimeout(recording.MaxTimeout))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := rec.Pause(ctx, recCallSid)
	if !errors.Is(err, recording.ErrUpdate) || !errors.Is(err, context.Canceled) {
		t.Errorf("Pause with a canceled context: %v, want recording.ErrUpdate wrapping context.Canceled", err)
	}

	for _, sid := range []string{"", "CA123", "CA" + strings.Repeat("z", 32), recCallSid + "/../x"} {
		if err := rec.Resume(context.Background(), sid); !errors.Is(err, recording.ErrUpdate) {
			t.Errorf("Resume(%q): %v, want recording.ErrUpdate", sid, err)
		}
	}
	for _, r := range ft.recorded() {
		if r.status() != "paused" {
			t.Errorf("a request was made for a malformed CallSid: %s", r.Path)
		}
	}
}

// TestAPIKey checks that an API key authenticates in place of the
// auth token, on the account's path.
func TestAPIKey(t *testing.T) {
	ft := newFakeTwilio(t)
	rec, err := recording.NewWithAPIKey(recAccountSid, recKeySid, recKeySecret, recording.WithHTTPClient(ft.client()))
	if err != nil {
		t.Fatalf("NewRecordingsWithAPIKey: %v", err)
	}
	if err := rec.Pause(context.Background(), recCallSid); err != nil {
		t.Fatalf("Pause: %v", err)
	}
	reqs := ft.recorded()
	if len(reqs) != 1 {
		t.Fatalf("%d REST requests, want 1", len(reqs))
	}
	checkRESTRequest(t, 0, reqs[0], recKeySid, recKeySecret, nil)
}

// TestNewErrors checks the constructors and options refuse bad input with
// ErrConfig, and never quote a secret.
func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		make func() (*recording.Client, error)
	}{
		{"empty account", func() (*recording.Client, error) { return recording.New("", recAuthToken) }},
		{"account with a key prefix", func() (*recording.Client, error) { return recording.New(recKeySid, recAuthToken) }},
		{"short account", func() (*recording.Client, error) { return recording.New("ACabc", recAuthToken) }},
		{"empty token", func() (*recording.Client, error) { return recording.New(recAccountSid, "") }},
		{"token with symbols", func() (*recording.Client, error) { return recording.New(recAccountSid, "secret-token!") }},
		{"key SID with an account prefix", func() (*recording.Client, error) {
			return recording.NewWithAPIKey(recAccountSid, recAccountSid, recKeySecret)
		}},
		{"bad account with a key", func() (*recording.Client, error) {
			return recording.NewWithAPIKey("AC", recKeySid, recKeySecret)
		}},
		{"empty key secret", func() (*recording.Client, error) { return recording.NewWithAPIKey(recAccountSid, recKeySid, "") }},
		{"zero timeout", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithTimeout(0))
		}},
		{"long timeout", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithTimeout(recording.MaxTimeout+time.Second))
		}},
		{"nil client", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithHTTPClient(nil))
		}},
		{"nil option", func() (*recording.Client, error) { return recording.New(recAccountSid, recAuthToken, nil) }},
		{"zero retry budget", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithRetryBudget(0))
		}},
		{"long retry budget", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithRetryBudget(recording.MaxRetryBudget+time.Millisecond))
		}},
		{"zero first wait", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithRetryBackoff(0, time.Second))
		}},
		{"first wait past the longest", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithRetryBackoff(2*time.Second, time.Second))
		}},
		{"long wait", func() (*recording.Client, error) {
			return recording.New(recAccountSid, recAuthToken, recording.WithRetryBackoff(time.Second, recording.MaxRetryWait+time.Millisecond))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := tt.make()
			if !errors.Is(err, recording.ErrConfig) || rec != nil {
				t.Fatalf("got %v, %v; want nil, recording.ErrConfig", rec, err)
			}
			for _, s := range []string{recAuthToken, recKeySecret, "secret-token!"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q quotes a secret", err)
				}
			}
		})
	}
}

// TestNeverPrint checks that no way of printing a Client shows
// the auth token or the API key secret.
func TestNeverPrint(t *testing.T) {
	byToken, err := recording.New(recAccountSid, recAuthToken)
	if err != nil {
		t.Fatal(err)
	}
	byKey, err := recording.NewWithAPIKey(recAccountSid, recKeySid, recKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []*recording.Client{byToken, byKey} {
		var logged bytes.Buffer
		slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "rec", rec)
		js, _ := json.Marshal(rec)
		outs := map[string]string{
			"%v": fmt.Sprintf("%v", rec), "%+v": fmt.Sprintf("%+v", rec), "%#v": fmt.Sprintf("%#v", rec),
			"slog": logged.String(), "json": string(js),
		}
		for how, out := range outs {
			if strings.Contains(out, recAuthToken) || strings.Contains(out, recKeySecret) {
				t.Errorf("%s shows a secret: %s", how, out)
			}
		}
		for _, how := range []string{"%v", "json"} {
			if !strings.Contains(outs[how], recAccountSid) {
				t.Errorf("%s does not name the account: %s", how, outs[how])
			}
		}
	}
}

// BenchmarkPause is one pause against the fake REST API on
// loopback: the cost a webhook pays on a transition, network aside.
func BenchmarkPause(b *testing.B) {
	rec := newFakeTwilio(b).recordings(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := rec.Pause(ctx, recCallSid); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordingCall is a whole tutorial call, without and with the
// recording paused around its two steps.
func BenchmarkRecordingCall(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			var rec *recording.Client
			if on {
				rec = newFakeTwilio(b).recordings(b)
			}
			f := recTestFlow(b, rec, recTestSteps(kindSensitive, kindSensitive), nil, nil)
			b.ReportAllocs()
			for b.Loop() {
				if call := recTestCall(f, "1234", "4321"); call.LastSaid() != recSayDone {
					b.Fatal(call.Transcript())
				}
			}
		})
	}
}
