package recording_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/recording"
	"github.com/encgather/encgather/twiml"
)

const (
	recWebhookToken = "recording-test-webhook-token"
	recWebhook      = "https://ivr.example.com/encrypted-gather"
	recSayDone      = "Thank you."
	recSayApology   = "We're sorry, an application error has occurred. Goodbye."
	recSayGoodbye   = "We're sorry, we could not get your entry. Goodbye."
)

// Step kinds for recTestSteps: a sensitive step, a plain menu, and a
// sensitive step that keeps the recording running.
const (
	kindSensitive = "sensitive"
	kindPlain     = "plain"
	kindKeep      = "keep"
)

// recTestSteps builds a flow's steps from kinds, named s0, s1, ...
func recTestSteps(kinds ...string) []flow.Step {
	steps := make([]flow.Step, len(kinds))
	for i, k := range kinds {
		steps[i] = flow.Step{
			Name:   fmt.Sprintf("s%d", i),
			Digits: flow.Exactly(4),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: fmt.Sprintf("Enter value %d.", i)}},
		}
		switch k {
		case kindPlain:
			steps[i].Plain, steps[i].Digits = true, flow.Exactly(1)
		case kindKeep:
			steps[i].InsecureKeepRecording = true
		}
	}
	return steps
}

// recTestFlow returns a flow over steps that pauses recordings through rec
// and logs to logs, whose Finish says recSayDone (or fails, if finishErr
// is set), with any extra options.
func recTestFlow(t testing.TB, rec *recording.Client, steps []flow.Step, logs *bytes.Buffer, finishErr error, extra ...flow.Option) *flow.Flow {
	t.Helper()
	finish := func(context.Context, *flow.Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: recSayDone}}, finishErr
	}
	opts := []flow.Option{flow.WithPublicURL("https://ivr.example.com"), flow.WithLogger(slog.New(slog.DiscardHandler))}
	if rec != nil {
		opts = append(opts, flow.WithRecordingPause(rec))
	}
	opts = append(opts, extra...)
	if logs != nil {
		// Times and durations are dropped: their digits could match an
		// entry by chance.
		drop := func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		}
		opts = append(opts, flow.WithLogger(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: drop}))))
	}
	f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), recWebhookToken, steps, finish, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// recTestCall places a call with the fixed CallSid.
func recTestCall(f *flow.Flow, keys ...string) *flowtest.Call {
	c := flowtest.NewCaller(f, recWebhook, recWebhookToken)
	c.Params.Set("CallSid", recCallSid)
	c.Params.Set("AccountSid", recAccountSid)
	return c.Call(keys...)
}

// logLines decodes a JSON log, one object a line.
func logLines(t *testing.T, logs *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// TestRecordingPausedBeforePrompt checks the order within one call: the
// pause is made while the request that asks the first sensitive step is
// served, before its prompt is sent, and the resume while the request that
// carries the last sensitive answer is served.
func TestRecordingPausedBeforePrompt(t *testing.T) {
	ft := newFakeTwilio(t)
	f := recTestFlow(t, ft.recordings(t), recTestSteps(kindPlain, kindSensitive, kindPlain), nil, nil)
	var perRequest []int
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.ServeHTTP(w, r)
		perRequest = append(perRequest, len(ft.recorded()))
	})
	c := flowtest.NewCaller(h, recWebhook, recWebhookToken)
	c.Params.Set("CallSid", recCallSid)
	c.Params.Set("AccountSid", recAccountSid)
	call := c.Call("1", "1234", "2")
	if call.LastSaid() != recSayDone {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	// Requests: first (asks the menu), menu answer (asks s1: pause), s1
	// answer (asks the second menu: resume), second menu answer (finish).
	if want := []int{0, 1, 2, 2}; !slices.Equal(perRequest, want) {
		t.Errorf("REST requests made by the end of each webhook: %v, want %v", perRequest, want)
	}
}

// TestRecordingFailures runs the tutorial's two steps against a REST API
// that fails in each way, under both policies.
func TestRecordingFailures(t *testing.T) {
	tests := []struct {
		name        string
		pause       fakeAnswer
		resume      fakeAnswer
		failOpen    bool
		want        []string
		wantLast    string
		wantAsked   bool   // whether the caller heard the first prompt
		wantRecLog  string // the "recording" attribute of the first request's line
		wantLevel   string // the level of the first request's line
		wantOutcome string // the outcome of the first request's line
	}{
		{name: "no active recording", pause: answerNotFound, resume: answerNotFound,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "none", wantLevel: "INFO", wantOutcome: "asked"},
		{name: "500, fail closed", pause: answerError,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: "recording_failed"},
		{name: "500, fail open", pause: answerError, resume: answerError, failOpen: true,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "pause_failed", wantLevel: "WARN", wantOutcome: "asked"},
		{name: "not JSON, fail closed", pause: answerGarbage,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: "recording_failed"},
		{name: "timeout, fail closed", pause: answerHang,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: "recording_failed"},
		{name: "timeout, fail open", pause: answerHang, resume: answerHang, failOpen: true,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "pause_failed", wantLevel: "WARN", wantOutcome: "asked"},
		{name: "redirect, fail closed", pause: answerRedirect,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: "recording_failed"},
		{name: "2xx not paused, fail closed", pause: answerOtherStatus,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: "recording_failed"},
		{name: "404 not about the recording, fail closed", pause: answerNotFoundCode,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: "recording_failed"},
		{name: "resume fails", resume: answerError,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "paused", wantLevel: "INFO", wantOutcome: "asked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			ft.answer("paused", tt.pause)
			ft.answer("in-progress", tt.resume)
			var extra []flow.Option
			if tt.failOpen {
				extra = append(extra, flow.InsecureRecordingFailOpen())
			}
			var logs bytes.Buffer
			f := recTestFlow(t, ft.recordings(t, recording.WithTimeout(50*time.Millisecond)), recTestSteps(kindSensitive, kindSensitive), &logs, nil, extra...)
			keys := []string{"1234", "4321"}
			call := recTestCall(f, keys...)
			if got := call.LastSaid(); got != tt.wantLast {
				t.Fatalf("call ended with %q, want %q\n%s", got, tt.wantLast, call.Transcript())
			}
			if asked := slices.Contains(call.Said, "Enter value 0."); asked != tt.wantAsked {
				t.Errorf("caller heard the first prompt: %v, want %v\n%s", asked, tt.wantAsked, call.Transcript())
			}
			if got := ft.statuses(); !slices.Equal(got, tt.want) {
				t.Errorf("REST requests %q, want %q", got, tt.want)
			}
			for i, r := range ft.recorded() {
				checkRESTRequest(t, i, r, recAccountSid, recAuthToken, keys)
			}
			lines := logLines(t, &logs)
			if len(lines) == 0 {
				t.Fatal("nothing logged")
			}
			first := lines[0]
			if first["recording"] != tt.wantRecLog || first["level"] != tt.wantLevel || first["outcome"] != tt.wantOutcome {
				t.Errorf("first line: recording %v, level %v, outcome %v; want %s, %s, %s",
					first["recording"], first["level"], first["outcome"], tt.wantRecLog, tt.wantLevel, tt.wantOutcome)
			}
			for _, d := range keys {
				if strings.Contains(logs.String(), d) {
					t.Errorf("log holds the typed digits %q:\n%s", d, logs.String())
				}
			}
		})
	}
}

// TestRecordingResumeFailureLogged checks that a failed resume is logged as
// a warning with its cause, and the call carries on.
func TestRecordingResumeFailureLogged(t *testing.T) {
	ft := newFakeTwilio(t)
	ft.answer("in-progress", answerError)
	var logs bytes.Buffer
	f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindPlain), &logs, nil)
	call := recTestCall(f, "1234", "1")
	if call.LastSaid() != recSayDone {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	lines := logLines(t, &logs)
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want 3:\n%s", len(lines), logs.String())
	}
	second := lines[1]
	if second["recording"] != "resume_failed" || second["level"] != "WARN" || second["outcome"] != "gathered" {
		t.Errorf("second line %v, want a warning with recording resume_failed and outcome gathered", second)
	}
	if msg, _ := second["error"].(string); !strings.Contains(msg, "recording: update failed: resume") {
		t.Errorf("second line's error %q does not say the resume failed", msg)
	}
}

// TestRecordingBadRequests checks the requests that cannot be served: one
// with a broken state, at any step, leaves the recording alone (it may be
// a replay: only a request that holds its token's claim touches the
// recording); one with no CallSid makes no REST request at all.
func TestRecordingBadRequests(t *testing.T) {
	tests := []struct {
		name string
		url  string
		form url.Values
		want []string
	}{
		{name: "broken state at a sensitive step", url: recWebhook + "?step=s0&state=AAAA",
			form: url.Values{"AccountSid": {recAccountSid}, "CallSid": {recCallSid}, "Digits": {"1234"}}, want: nil},
		{name: "broken state at a plain step", url: recWebhook + "?step=s1&state=AAAA",
			form: url.Values{"AccountSid": {recAccountSid}, "CallSid": {recCallSid}, "Digits": {"1"}}, want: nil},
		{name: "unknown step", url: recWebhook + "?step=nope&state=AAAA",
			form: url.Values{"AccountSid": {recAccountSid}, "CallSid": {recCallSid}, "Digits": {"1234"}}, want: nil},
		{name: "malformed CallSid", url: recWebhook,
			form: url.Values{"AccountSid": {recAccountSid}, "CallSid": {"CA../../Accounts"}}, want: nil},
		{name: "first request", url: recWebhook,
			form: url.Values{"AccountSid": {recAccountSid}, "CallSid": {recCallSid}}, want: []string{"paused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindPlain), nil, nil)
			w := httptest.NewRecorder()
			f.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, tt.url, tt.form, recWebhookToken))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if got := ft.statuses(); !slices.Equal(got, tt.want) {
				t.Errorf("REST requests %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRecordingUnsignedRequest checks that a request without a valid
// signature gets 403 and makes no REST request.
func TestRecordingUnsignedRequest(t *testing.T) {
	ft := newFakeTwilio(t)
	f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive), nil, nil)
	w := httptest.NewRecorder()
	f.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, recWebhook, url.Values{"CallSid": {recCallSid}}, "wrong-token"))
	if w.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", w.Code)
	}
	if got := ft.recorded(); len(got) != 0 {
		t.Errorf("%d REST requests, want none", len(got))
	}
}

// TestRecordingHangupMidGather checks that an action Twilio posts after the
// caller hung up during a sensitive step makes no REST request: the
// recording ended with the call, and a resume would only fail.
func TestRecordingHangupMidGather(t *testing.T) {
	tests := []struct {
		name       string
		callStatus string
		want       []string
	}{
		{name: "call over", callStatus: "completed", want: []string{"paused"}},
		{name: "call goes on", callStatus: "in-progress", want: []string{"paused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			ft.answer("in-progress", answerNotFound)
			f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindSensitive), nil, nil)
			form := url.Values{"AccountSid": {recAccountSid}, "CallSid": {recCallSid}, "CallStatus": {"in-progress"}}
			w := httptest.NewRecorder()
			f.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, recWebhook, form, recWebhookToken))
			action, err := flowtest.GatherAction(recWebhook, w.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}

			form.Set("CallStatus", tt.callStatus)
			form.Set("Digits", "12")
			w = httptest.NewRecorder()
			f.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, action, form, recWebhookToken))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if got := ft.statuses(); !slices.Equal(got, tt.want) {
				t.Errorf("REST requests %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRecordingOtherAccount checks a call from an account other than the
// Client's. Twilio answers "not found" for another account's call, which
// reads like a call with no recording; the flow must refuse the call
// before it asks anything, and make no REST request.
func TestRecordingOtherAccount(t *testing.T) {
	ft := newFakeTwilio(t)
	ft.answer("paused", answerNotFound)
	ft.answer("in-progress", answerNotFound)
	var logs bytes.Buffer
	f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindSensitive), &logs, nil)
	c := flowtest.NewCaller(f, recWebhook, recWebhookToken)
	c.Params.Set("CallSid", recCallSid)
	c.Params.Set("AccountSid", "AC"+strings.Repeat("12", 16))
	call := c.Call("1234", "4321")
	if call.LastSaid() != recSayApology || slices.Contains(call.Said, "Enter value 0.") {
		t.Errorf("call heard %q, want only the apology\n%s", call.Said, call.Transcript())
	}
	if got := ft.recorded(); len(got) != 0 {
		t.Errorf("%d REST requests, want none", len(got))
	}
	lines := logLines(t, &logs)
	if len(lines) != 1 || lines[0]["outcome"] != "wrong_account" || lines[0]["level"] != "WARN" {
		t.Errorf("log %v, want one warning with outcome wrong_account", lines)
	}
}

// TestRecordingPausedAgainAfterPlainStep checks a call whose sensitive
// steps are split by a plain one against the REST API: the second run
// is paused again, and each REST request is confirmed.
func TestRecordingPausedAgainAfterPlainStep(t *testing.T) {
	ft := newFakeTwilio(t)
	f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindPlain, kindSensitive), nil, nil)
	call := recTestCall(f, "1234", "", "1", "4321")
	if call.LastSaid() != recSayDone {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	if got, want := ft.statuses(), []string{"paused", "in-progress", "paused", "in-progress"}; !slices.Equal(got, want) {
		t.Errorf("REST requests %q, want %q", got, want)
	}
}

// TestRecordingRateLimited checks a call whose REST requests Twilio
// refuses for now at first (its concurrency limit, or 503): the update is
// tried again, and the caller is asked, not sent away with the apology.
func TestRecordingRateLimited(t *testing.T) {
	tests := []struct {
		name          string
		pause, resume []fakeAnswer
		want          []string
	}{
		{name: "pause refused twice with 429", pause: []fakeAnswer{answerTooMany, answerTooMany},
			want: []string{"paused", "paused", "paused", "in-progress"}},
		{name: "pause refused with 503", pause: []fakeAnswer{answerUnavailable},
			want: []string{"paused", "paused", "in-progress"}},
		{name: "resume refused with 429", resume: []fakeAnswer{answerTooMany},
			want: []string{"paused", "in-progress", "in-progress"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			ft.answerFirst("paused", tt.pause...)
			ft.answerFirst("in-progress", tt.resume...)
			var logs bytes.Buffer
			f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindSensitive), &logs, nil)
			call := recTestCall(f, "1234", "4321")
			if call.LastSaid() != recSayDone || !slices.Contains(call.Said, "Enter value 0.") {
				t.Fatalf("call did not ask and finish:\n%s", call.Transcript())
			}
			if got := ft.statuses(); !slices.Equal(got, tt.want) {
				t.Errorf("REST requests %q, want %q", got, tt.want)
			}
			for _, line := range logLines(t, &logs) {
				if line["level"] != "INFO" {
					t.Errorf("log line %v, want every line at INFO", line)
				}
			}
		})
	}
}
