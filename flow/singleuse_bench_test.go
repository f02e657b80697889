package flow

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/internal/twiliosig"
)

// freshSteps hands out signed requests, each with its own new token, as a
// call's steps are (a token answers once). They are made a batch at a time
// with the timer stopped, so a benchmark times only ServeHTTP.
type freshSteps struct {
	f        *Flow
	make     func() *http.Request // one signed request with a new token
	newBatch func()               // called before each batch is made, timer stopped
	batch    []*http.Request
	next     int
}

const freshBatch = 1024

// cardSteps makes requests that answer f's card step.
func cardSteps(f *Flow) *freshSteps {
	form := callForm(testCallSid, "Digits", "1234", "From", "+15005550006", "To", "+15005550001",
		"CallStatus", "in-progress", "Direction", "inbound", "ApiVersion", "2010-04-01")
	body := form.Encode()
	return &freshSteps{f: f, make: func() *http.Request {
		now := f.cfg.clock(time.Now())
		st := &state{issuedAt: now, expires: now.Add(DefaultMaxAge), attempt: 1}
		target := testWebhook + "?" + stepParam + "=getLast4CC&" + stateParam + "=" + f.states.seal(st, testCallSid, "getLast4CC")
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, target, form))
		return req
	}}
}

func (s *freshSteps) request(b *testing.B) *http.Request {
	if s.next == len(s.batch) {
		b.StopTimer()
		if s.newBatch != nil {
			s.newBatch()
		}
		s.batch, s.next = s.batch[:0], 0
		for range freshBatch {
			s.batch = append(s.batch, s.make())
		}
		b.StartTimer()
	}
	s.next++
	return s.batch[s.next-1]
}

// nopStore claims every token and keeps nothing: single use's own work
// (hashing, sealing the answer) without a store.
type nopStore struct{}

func (nopStore) Claim(context.Context, TokenID, time.Duration) (bool, []byte, error) {
	return true, nil, nil
}
func (nopStore) Save(context.Context, TokenID, []byte, time.Duration) error { return nil }

// BenchmarkStep is one full step in-process: a signed POST with Digits and
// a fresh token, whose signature is checked, state opened, digits sealed,
// next <Gather> rendered, and token claimed with the answer saved. "nop store" is
// single use with a store that does nothing; "memory store" is the
// default, with claims expiring as fast as they arrive.
func BenchmarkStep(b *testing.B) {
	b.Run("nop store", func(b *testing.B) {
		f, _, _ := benchStep(b, WithStore(nopStore{}))
		benchFreshSteps(b, cardSteps(f), "step=getPin")
	})
	b.Run("memory store", func(b *testing.B) {
		m, clock := newTestMemoryStore(b, 2*freshBatch)
		f, _, _ := benchStep(b, WithStore(m))
		// Each batch's claims expire before the next: the store stays
		// at its working size, as in a service at a steady rate.
		steps := cardSteps(f)
		steps.newBatch = func() { clock.advance(time.Hour) }
		benchFreshSteps(b, steps, "step=getPin")
	})
}

// benchFreshSteps serves steps' requests and checks that the last answer
// asked for the step named in want.
func benchFreshSteps(b *testing.B, steps *freshSteps, want string) {
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		rec.Body.Reset()
		steps.f.ServeHTTP(rec, steps.request(b))
	}
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// BenchmarkStepRetried is an identical retry of a step: the saved answer
// is opened and sent again; nothing runs.
func BenchmarkStepRetried(b *testing.B) {
	f, target, form := benchStep(b)
	body := form.Encode()
	template := httptest.NewRequest(http.MethodPost, target, nil)
	template.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	template.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, target, form))
	rec := httptest.NewRecorder()
	serveCopy := func() {
		req := *template
		req.Body = io.NopCloser(strings.NewReader(body))
		rec.Body.Reset()
		f.ServeHTTP(rec, &req)
	}
	serveCopy() // the first answer, saved
	first := rec.Body.String()
	b.ReportAllocs()
	for b.Loop() {
		serveCopy()
	}
	if rec.Body.String() != first {
		b.Fatalf("retry answered %s", rec.Body)
	}
}

// BenchmarkSingleUseWork is what single use itself adds to a step, apart
// from the store: the request's hash and the sealing of a typical answer.
// (The TokenID is the token's tag, read as the token opens.)
func BenchmarkSingleUseWork(b *testing.B) {
	f, target, form := benchStep(b)
	wh := &webhook{signed: signedRequest{url: target, signature: twiliosig.Sign(testAuthToken, target, form)}}
	answer := []byte(strings.Repeat("x", 900)) // a <Gather> answer's size
	u := f.single
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		_ = u.sealAnswer(TokenID{1}, hashRequest(wh), now, false, answer)
	}
}
