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
func benchStep(b *testing.B, opts ...Option) (*Flow, string, url.Values) {
	master := aescrypt.New(aescrypt.GenerateKey())
	f, err := New(master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: "http://127.0.0.1:1"}),
		append(opts, WithPublicURL(testPublicURL), WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	st := &state{issuedAt: now, expires: now.Add(DefaultMaxAge), attempt: 1}
	target := testWebhook + "?" + stepParam + "=getLast4CC&" + stateParam + "=" + f.states.seal(st, testCallSid, "getLast4CC")
	form := callForm(testCallSid, "Digits", "1234", "From", "+15005550006", "To", "+15005550001",
		"CallStatus", "in-progress", "Direction", "inbound", "ApiVersion", "2010-04-01")
	return f, target, form
}

// BenchmarkFirstStep is a call's first request: a signed POST without
// state, answered with the first <Gather>.
func BenchmarkFirstStep(b *testing.B) {
	f, _, form := benchStep(b)
	form.Del("Digits")
	body := form.Encode()
	template := httptest.NewRequest(http.MethodPost, testWebhook, nil)
	template.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	template.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, testWebhook, form))
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		req := *template
		req.Body = io.NopCloser(stringsReader(body))
		rec.Body.Reset()
		f.ServeHTTP(rec, &req)
	}
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), sayCard) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// stepRequests returns a function that makes BenchmarkStep's request
// afresh, as net/http hands a handler a new request around a shared,
// already-parsed URL and header.
func stepRequests(b *testing.B) func() *http.Request {
	_, target, form := benchStep(b)
	body := form.Encode()
	template := httptest.NewRequest(http.MethodPost, target, nil)
	template.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return func() *http.Request {
		req := *template
		req.Body = io.NopCloser(stringsReader(body))
		return &req
	}
}

// BenchmarkStepReadForm is the form reading inside BenchmarkStep.
func BenchmarkStepReadForm(b *testing.B) {
	request := stepRequests(b)
	b.ReportAllocs()
	for b.Loop() {
		fm, err := readForm(request(), DefaultMaxBodyBytes)
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
	request := stepRequests(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := request().ParseForm(); err != nil {
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
	token := u.Query().Get(stateParam)
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
	action := "?step=getPin&state=" + u.Query().Get(stateParam)
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
	f, err := New(master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: "http://127.0.0.1:1"}),
		WithPublicURL(testPublicURL), WithLogger(logger))
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkLogRequest is a gathered step's log line, written (info) and
// filtered out (warn).
func BenchmarkLogRequest(b *testing.B) {
	d := decision{callSid: testCallSid, outcome: OutcomeGathered, answered: 0, asked: 1, attempt: 1}
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		b.Run("level="+level.String(), func(b *testing.B) {
			f := benchLogFlow(b, level)
			ctx := context.Background()
			start := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				f.logRequest(ctx, start, &d, acts{})
			}
		})
	}
}
