package flow

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/twiliosig"
	"github.com/encgather/encgather/twiml"
)

// benchStep prepares the request that answers the card step with digits:
// the middle of a call, where a step does the most work.
func benchStep(b *testing.B) (*Flow, string, url.Values) {
	master := aescrypt.New(aescrypt.GenerateKey())
	f, err := New(master, testAuthToken, tutorialSteps(), PostJSON(Backend{URL: "http://127.0.0.1:1"}),
		WithPublicURL(testPublicURL), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	st := &state{issuedAt: time.Now(), attempt: 1}
	target := testWebhook + "?" + StepParam + "=getLast4CC&" + StateParam + "=" + f.states.seal(st, testCallSid, "getLast4CC")
	form := callForm(testCallSid, "Digits", "1234", "From", "+15005550006", "To", "+15005550001",
		"CallStatus", "in-progress", "Direction", "inbound", "ApiVersion", "2010-04-01")
	return f, target, form
}

// benchRequest is a signed webhook request to replay.
type benchRequest struct {
	flow   *Flow
	target string
	body   string
	sig    string
}

// benchServe replays r and checks that the last answer was 200 and
// contains want.
func benchServe(b *testing.B, r benchRequest, want string) {
	template := httptest.NewRequest(http.MethodPost, r.target, nil)
	template.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	template.Header.Set(SignatureHeader, r.sig)
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		// What net/http hands a handler: a fresh request around a shared,
		// already-parsed URL and header.
		req := *template
		req.Body = io.NopCloser(stringsReader(r.body))
		rec.Body.Reset()
		r.flow.ServeHTTP(rec, &req)
	}
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// BenchmarkStep is one full step in-process: a signed POST with Digits,
// whose signature is checked, state opened, digits sealed and next
// <Gather> rendered.
func BenchmarkStep(b *testing.B) {
	f, target, form := benchStep(b)
	benchServe(b, benchRequest{flow: f, target: target, body: form.Encode(), sig: twiliosig.Sign(testAuthToken, target, form)}, sayPin)
}

// BenchmarkFirstStep is a call's first request: a signed POST without
// state, answered with the first <Gather>.
func BenchmarkFirstStep(b *testing.B) {
	f, _, form := benchStep(b)
	form.Del("Digits")
	benchServe(b, benchRequest{flow: f, target: testWebhook, body: form.Encode(), sig: twiliosig.Sign(testAuthToken, testWebhook, form)}, sayCard)
}

// BenchmarkStepReadForm is the form reading inside BenchmarkStep.
func BenchmarkStepReadForm(b *testing.B) {
	_, target, form := benchStep(b)
	body := form.Encode()
	template := httptest.NewRequest(http.MethodPost, target, nil)
	template.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	b.ReportAllocs()
	for b.Loop() {
		req := *template
		req.Body = io.NopCloser(stringsReader(body))
		fm, err := readForm(&req, DefaultMaxBodyBytes)
		if err != nil {
			b.Fatal(err)
		}
		fm.release()
	}
}

// BenchmarkStepParseForm is net/http's ParseForm on BenchmarkStep's
// request, which a plain net/http handler pays, for comparison with
// BenchmarkStepReadForm.
func BenchmarkStepParseForm(b *testing.B) {
	_, target, form := benchStep(b)
	body := form.Encode()
	template := httptest.NewRequest(http.MethodPost, target, nil)
	template.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	b.ReportAllocs()
	for b.Loop() {
		req := *template
		req.Body = io.NopCloser(stringsReader(body))
		if err := req.ParseForm(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStepSignature(b *testing.B) {
	_, target, form := benchStep(b)
	sig := twiliosig.Sign(testAuthToken, target, form)
	checker := twiliosig.NewChecker(testAuthToken)
	b.ReportAllocs()
	for b.Loop() {
		if !checker.Valid(target, form, sig) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkStepStateOpenSeal(b *testing.B) {
	f, target, _ := benchStep(b)
	u, _ := url.Parse(target)
	token := u.Query().Get(StateParam)
	b.ReportAllocs()
	for b.Loop() {
		st, err := f.states.open(token, testCallSid, "getLast4CC", len(f.steps))
		if err != nil {
			b.Fatal(err)
		}
		fl, err := f.gathered(0, "1234", testCallSid)
		if err != nil {
			b.Fatal(err)
		}
		st.fields = setField(st.fields, fl)
		st.issuedAt = time.Now()
		_ = f.states.seal(st, testCallSid, "getPin")
	}
}

func BenchmarkStepRender(b *testing.B) {
	f, target, _ := benchStep(b)
	u, _ := url.Parse(target)
	action := "?step=getPin&state=" + u.Query().Get(StateParam)
	resp := twiml.Response{Verbs: []twiml.Verb{
		twiml.Gather{Input: twiml.InputDTMF, Action: action, Method: twiml.MethodPOST, Timeout: 10 * time.Second,
			NumDigits: 4, Verbs: f.steps[1].Prompt},
		twiml.Redirect{URL: action, Method: twiml.MethodPOST},
	}}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = resp.AppendXML(buf[:0])
	}
}

// benchLogFlow is the flow of benchStep logging to a JSON handler that
// discards at level, the way a service logs.
func benchLogFlow(b *testing.B, level slog.Level) *Flow {
	master := aescrypt.New(aescrypt.GenerateKey())
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: level}))
	f, err := New(master, testAuthToken, tutorialSteps(), PostJSON(Backend{URL: "http://127.0.0.1:1"}),
		WithPublicURL(testPublicURL), WithLogger(logger))
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkLogRequest is a gathered step's log line, written (info) and
// filtered out (warn).
func BenchmarkLogRequest(b *testing.B) {
	d := decision{callSid: testCallSid, outcome: outcomeGathered, answered: 0, asked: 1, attempt: 1}
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		b.Run("level="+level.String(), func(b *testing.B) {
			f := benchLogFlow(b, level)
			ctx := context.Background()
			start := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				f.logRequest(ctx, start, d, recordingResult{}, nil)
			}
		})
	}
}
