package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/encgather/encgather/flow/flowtest"
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
func recTestSteps(kinds ...string) []Step {
	steps := make([]Step, len(kinds))
	for i, k := range kinds {
		steps[i] = Step{
			Name:   fmt.Sprintf("s%d", i),
			Digits: Exactly(4),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: fmt.Sprintf("Enter value %d.", i)}},
		}
		switch k {
		case kindPlain:
			steps[i].Plain, steps[i].Digits = true, Exactly(1)
		case kindKeep:
			steps[i].InsecureKeepRecording = true
		}
	}
	return steps
}

// recTestFlow returns a flow over steps that pauses recordings through rec
// and logs to logs, and whose Finish says recSayDone (or fails, if
// finishErr is set).
func recTestFlow(t testing.TB, rec *Recordings, steps []Step, logs *bytes.Buffer, finishErr error) *Flow {
	t.Helper()
	finish := func(context.Context, *Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: recSayDone}}, finishErr
	}
	opts := []Option{WithPublicURL("https://ivr.example.com")}
	if rec != nil {
		opts = append(opts, WithRecordingPause(rec))
	}
	if logs != nil {
		// Times and durations are dropped: their digits could match an
		// entry by chance.
		drop := func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		}
		opts = append(opts, WithLogger(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: drop}))))
	}
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), recWebhookToken, steps, finish, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// recTestCall places a call with the fixed CallSid.
func recTestCall(f *Flow, keys ...string) *flowtest.Call {
	c := flowtest.NewCaller(f, recWebhook, recWebhookToken)
	c.Params.Set("CallSid", recCallSid)
	c.Params.Set("AccountSid", recAccountSid)
	return c.Call(keys...)
}

func lastSentence(c *flowtest.Call) string {
	if len(c.Said) == 0 {
		return ""
	}
	return c.Said[len(c.Said)-1]
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

// TestRecordingTransitions drives whole calls and checks which REST
// requests each makes: a pause before each run of sensitive steps, a resume
// after it, none around plain steps.
func TestRecordingTransitions(t *testing.T) {
	tests := []struct {
		name      string
		kinds     []string
		keys      []string
		finishErr error
		want      []string // the Status of each REST request, in order
		wantLast  string   // the last sentence of the call
	}{
		{name: "tutorial", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "4321"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "one sensitive step", kinds: []string{kindSensitive},
			keys: []string{"5678"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "plain steps only", kinds: []string{kindPlain, kindPlain},
			keys: []string{"1", "2"}, want: nil, wantLast: recSayDone},
		{name: "menu then sensitive", kinds: []string{kindPlain, kindSensitive, kindSensitive},
			keys: []string{"1", "1234", "4321"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "sensitive, menu, sensitive", kinds: []string{kindSensitive, kindPlain, kindSensitive},
			keys: []string{"1234", "2", "4321"}, want: []string{"paused", "in-progress", "paused", "in-progress"}, wantLast: recSayDone},
		{name: "sensitive then menu", kinds: []string{kindSensitive, kindPlain},
			keys: []string{"1234", "2"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "retry after silence stays paused", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"", "1234", "4321"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "retry after a bad entry stays paused", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "43#", "4321"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "gave up resumes", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "", "", ""}, want: []string{"paused", "in-progress"}, wantLast: recSayGoodbye},
		{name: "finish failed resumes", kinds: []string{kindSensitive},
			keys: []string{"1234"}, finishErr: errors.New("backend down"), want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "step that keeps the recording", kinds: []string{kindKeep, kindSensitive},
			keys: []string{"1234", "4321"}, want: []string{"paused", "in-progress"}, wantLast: recSayDone},
		{name: "only a step that keeps the recording", kinds: []string{kindKeep},
			keys: []string{"1234"}, want: nil, wantLast: recSayDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			f := recTestFlow(t, ft.recordings(t), recTestSteps(tt.kinds...), nil, tt.finishErr)
			call := recTestCall(f, tt.keys...)
			if got := lastSentence(call); got != tt.wantLast {
				t.Fatalf("call ended with %q, want %q\n%s", got, tt.wantLast, call.Transcript())
			}
			if got := ft.statuses(); !slices.Equal(got, tt.want) {
				t.Errorf("REST requests %q, want %q", got, tt.want)
			}
			for i, r := range ft.recorded() {
				checkRESTRequest(t, i, r, recAccountSid, recAuthToken, tt.keys)
			}
		})
	}
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
	call := c.Call("1", "1234", "2")
	if lastSentence(call) != recSayDone {
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
			wantRecLog: "none", wantLevel: "INFO", wantOutcome: outcomeAsked},
		{name: "500, fail closed", pause: answerError,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: outcomeRecordingFailed},
		{name: "500, fail open", pause: answerError, resume: answerError, failOpen: true,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "pause_failed", wantLevel: "WARN", wantOutcome: outcomeAsked},
		{name: "not JSON, fail closed", pause: answerGarbage,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: outcomeRecordingFailed},
		{name: "timeout, fail closed", pause: answerHang,
			want: []string{"paused"}, wantLast: recSayApology,
			wantRecLog: "pause_failed", wantLevel: "ERROR", wantOutcome: outcomeRecordingFailed},
		{name: "timeout, fail open", pause: answerHang, resume: answerHang, failOpen: true,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "pause_failed", wantLevel: "WARN", wantOutcome: outcomeAsked},
		{name: "resume fails", resume: answerError,
			want: []string{"paused", "in-progress"}, wantLast: recSayDone, wantAsked: true,
			wantRecLog: "paused", wantLevel: "INFO", wantOutcome: outcomeAsked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			ft.answer("paused", tt.pause)
			ft.answer("in-progress", tt.resume)
			opts := []RecordingsOption{WithRecordingTimeout(50 * time.Millisecond)}
			if tt.failOpen {
				opts = append(opts, InsecureRecordingFailOpen())
			}
			var logs bytes.Buffer
			f := recTestFlow(t, ft.recordings(t, opts...), recTestSteps(kindSensitive, kindSensitive), &logs, nil)
			keys := []string{"1234", "4321"}
			call := recTestCall(f, keys...)
			if got := lastSentence(call); got != tt.wantLast {
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
	if lastSentence(call) != recSayDone {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	lines := logLines(t, &logs)
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want 3:\n%s", len(lines), logs.String())
	}
	second := lines[1]
	if second["recording"] != "resume_failed" || second["level"] != "WARN" || second["outcome"] != outcomeGathered {
		t.Errorf("second line %v, want a warning with recording resume_failed and outcome gathered", second)
	}
	if msg, _ := second["error"].(string); !strings.Contains(msg, "flow: recording update failed: resume") {
		t.Errorf("second line's error %q does not say the resume failed", msg)
	}
}

// TestRecordingBadRequests checks the requests that cannot be served: one
// at a sensitive step with a broken state resumes; one with no CallSid
// makes no REST request at all.
func TestRecordingBadRequests(t *testing.T) {
	tests := []struct {
		name string
		url  string
		form url.Values
		want []string
	}{
		{name: "broken state at a sensitive step", url: recWebhook + "?step=s0&state=AAAA",
			form: url.Values{"CallSid": {recCallSid}, "Digits": {"1234"}}, want: []string{"in-progress"}},
		{name: "broken state at a plain step", url: recWebhook + "?step=s1&state=AAAA",
			form: url.Values{"CallSid": {recCallSid}, "Digits": {"1"}}, want: nil},
		{name: "unknown step", url: recWebhook + "?step=nope&state=AAAA",
			form: url.Values{"CallSid": {recCallSid}, "Digits": {"1234"}}, want: nil},
		{name: "malformed CallSid", url: recWebhook,
			form: url.Values{"CallSid": {"CA../../Accounts"}}, want: nil},
		{name: "first request", url: recWebhook,
			form: url.Values{"CallSid": {recCallSid}}, want: []string{"paused"}},
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
// caller hung up during a sensitive step attempts a resume, even though the
// flow answers with a retry.
func TestRecordingHangupMidGather(t *testing.T) {
	tests := []struct {
		name       string
		callStatus string
		want       []string
	}{
		{name: "call over", callStatus: "completed", want: []string{"paused", "in-progress"}},
		{name: "call goes on", callStatus: "in-progress", want: []string{"paused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTwilio(t)
			ft.answer("in-progress", answerNotFound)
			f := recTestFlow(t, ft.recordings(t), recTestSteps(kindSensitive, kindSensitive), nil, nil)
			form := url.Values{"CallSid": {recCallSid}, "CallStatus": {"in-progress"}}
			w := httptest.NewRecorder()
			f.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, recWebhook, form, recWebhookToken))
			action := recGatherAction(t, w.Body.Bytes())

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

// recGatherAction returns the absolute action URL of a document's <Gather>.
func recGatherAction(t *testing.T, doc []byte) string {
	t.Helper()
	resp, err := twiml.Parse(doc)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	for _, v := range resp.Verbs {
		if g, ok := v.(twiml.Gather); ok {
			base, _ := url.Parse(recWebhook)
			ref, err := url.Parse(g.Action)
			if err != nil {
				t.Fatalf("action %q: %v", g.Action, err)
			}
			return base.ResolveReference(ref).String()
		}
	}
	t.Fatalf("no <Gather> in %s", doc)
	return ""
}

// TestRecordingsPauseResume checks the errors Pause and Resume report for
// each answer of the REST API.
func TestRecordingsPauseResume(t *testing.T) {
	tests := []struct {
		name    string
		answer  fakeAnswer
		wantErr error // nil, ErrNoActiveRecording or ErrRecordingUpdate
	}{
		{name: "ok", answer: answerOK},
		{name: "not found", answer: answerNotFound, wantErr: ErrNoActiveRecording},
		{name: "server error", answer: answerError, wantErr: ErrRecordingUpdate},
		{name: "not JSON", answer: answerGarbage, wantErr: ErrRecordingUpdate},
		{name: "timeout", answer: answerHang, wantErr: ErrRecordingUpdate},
	}
	ops := []struct {
		name   string
		status string
		call   func(*Recordings, context.Context, string) error
	}{
		{"Pause", "paused", (*Recordings).Pause},
		{"Resume", "in-progress", (*Recordings).Resume},
	}
	for _, op := range ops {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				ft := newFakeTwilio(t)
				ft.answer(op.status, tt.answer)
				rec := ft.recordings(t, WithRecordingTimeout(50*time.Millisecond))
				err := op.call(rec, context.Background(), recCallSid)
				if tt.wantErr == nil && err != nil {
					t.Fatalf("%s: %v", op.name, err)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("%s: %v, want %v", op.name, err, tt.wantErr)
				}
				if tt.wantErr == ErrRecordingUpdate && errors.Is(err, ErrNoActiveRecording) {
					t.Errorf("%s: %v is also no-active-recording", op.name, err)
				}
				if err != nil && (strings.Contains(err.Error(), recAuthToken) || !strings.HasPrefix(err.Error(), "flow: ")) {
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

// TestRecordingsContext checks that Pause stops waiting when its context
// ends, and refuses a malformed CallSid without a request.
func TestRecordingsContext(t *testing.T) {
	ft := newFakeTwilio(t)
	ft.answer("paused", answerHang)
	rec := ft.recordings(t, WithRecordingTimeout(MaxRecordingTimeout))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := rec.Pause(ctx, recCallSid)
	if !errors.Is(err, ErrRecordingUpdate) || !errors.Is(err, context.Canceled) {
		t.Errorf("Pause with a canceled context: %v, want ErrRecordingUpdate wrapping context.Canceled", err)
	}

	for _, sid := range []string{"", "CA123", "CA" + strings.Repeat("z", 32), recCallSid + "/../x"} {
		if err := rec.Resume(context.Background(), sid); !errors.Is(err, ErrRecordingUpdate) {
			t.Errorf("Resume(%q): %v, want ErrRecordingUpdate", sid, err)
		}
	}
	for _, r := range ft.recorded() {
		if r.status() != "paused" {
			t.Errorf("a request was made for a malformed CallSid: %s", r.Path)
		}
	}
}

// TestRecordingsAPIKey checks that an API key authenticates in place of the
// auth token, on the account's path.
func TestRecordingsAPIKey(t *testing.T) {
	ft := newFakeTwilio(t)
	rec, err := NewRecordingsWithAPIKey(recAccountSid, recKeySid, recKeySecret, WithRecordingHTTPClient(ft.client()))
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

// TestNewRecordingsErrors checks the constructors and options refuse bad
// input with ErrDefinition, and never quote a secret.
func TestNewRecordingsErrors(t *testing.T) {
	tests := []struct {
		name string
		make func() (*Recordings, error)
	}{
		{"empty account", func() (*Recordings, error) { return NewRecordings("", recAuthToken) }},
		{"account with a key prefix", func() (*Recordings, error) { return NewRecordings(recKeySid, recAuthToken) }},
		{"short account", func() (*Recordings, error) { return NewRecordings("ACabc", recAuthToken) }},
		{"empty token", func() (*Recordings, error) { return NewRecordings(recAccountSid, "") }},
		{"token with symbols", func() (*Recordings, error) { return NewRecordings(recAccountSid, "secret-token!") }},
		{"key SID with an account prefix", func() (*Recordings, error) {
			return NewRecordingsWithAPIKey(recAccountSid, recAccountSid, recKeySecret)
		}},
		{"bad account with a key", func() (*Recordings, error) {
			return NewRecordingsWithAPIKey("AC", recKeySid, recKeySecret)
		}},
		{"empty key secret", func() (*Recordings, error) { return NewRecordingsWithAPIKey(recAccountSid, recKeySid, "") }},
		{"zero timeout", func() (*Recordings, error) {
			return NewRecordings(recAccountSid, recAuthToken, WithRecordingTimeout(0))
		}},
		{"long timeout", func() (*Recordings, error) {
			return NewRecordings(recAccountSid, recAuthToken, WithRecordingTimeout(MaxRecordingTimeout+time.Second))
		}},
		{"nil client", func() (*Recordings, error) {
			return NewRecordings(recAccountSid, recAuthToken, WithRecordingHTTPClient(nil))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := tt.make()
			if !errors.Is(err, ErrDefinition) || rec != nil {
				t.Fatalf("got %v, %v; want nil, ErrDefinition", rec, err)
			}
			for _, s := range []string{recAuthToken, recKeySecret, "secret-token!"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q quotes a secret", err)
				}
			}
		})
	}
	if _, err := New(aescrypt.New(aescrypt.GenerateKey()), recWebhookToken, recTestSteps(kindSensitive),
		func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil }, WithRecordingPause(nil)); !errors.Is(err, ErrDefinition) {
		t.Errorf("WithRecordingPause(nil): %v, want ErrDefinition", err)
	}
}

// TestRecordingsNeverPrint checks that no way of printing Recordings shows
// the auth token or the API key secret.
func TestRecordingsNeverPrint(t *testing.T) {
	byToken, err := NewRecordings(recAccountSid, recAuthToken)
	if err != nil {
		t.Fatal(err)
	}
	byKey, err := NewRecordingsWithAPIKey(recAccountSid, recKeySid, recKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []*Recordings{byToken, byKey} {
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

// BenchmarkRecordingsPause is one pause against the fake REST API on
// loopback: the cost a webhook pays on a transition, network aside.
func BenchmarkRecordingsPause(b *testing.B) {
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
			var rec *Recordings
			if on {
				rec = newFakeTwilio(b).recordings(b)
			}
			f := recTestFlow(b, rec, recTestSteps(kindSensitive, kindSensitive), nil, nil)
			b.ReportAllocs()
			for b.Loop() {
				if call := recTestCall(f, "1234", "4321"); lastSentence(call) != recSayDone {
					b.Fatal(call.Transcript())
				}
			}
		})
	}
}
