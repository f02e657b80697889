package flow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"

	"github.com/encgather/encgather/internal/twiliosig"
)

// capturedCall runs the tutorial's call with a silence at the card step, so
// that it has a first, a middle and a last step request: start (no token),
// card silence, card digits, PIN digits.
func capturedCall(t *testing.T, fx *fixture, f *Flow) *flowtest.Call {
	t.Helper()
	call := fx.caller(f).Call("", "1234", "4321")
	if call.LastSaid() != saySuccess || len(call.Requests) != 4 {
		t.Fatalf("tutorial call did not succeed in 4 requests:\n%s", call.Transcript())
	}
	return call
}

// TestReplayRefused replays every request of a whole call that carries a
// token: changed inside the retry window, and identical after it. Each is
// refused with the apology and a warning, and nothing reaches the backend.
func TestReplayRefused(t *testing.T) {
	steps := []struct {
		name string
		req  int // index in the captured call
	}{
		{"first step (silence)", 1},
		{"middle step (card digits)", 2},
		{"last step (PIN digits, calls the backend)", 3},
	}
	replays := []struct {
		name    string
		advance time.Duration
		edit    func(url.Values)
	}{
		{"other digits inside the window", 0, func(f url.Values) { f.Set("Digits", "9999") }},
		{"other parameter inside the window", 0, func(f url.Values) { f.Set("CallStatus", "completed") }},
		{"identical after the window", DefaultRetryWindow + time.Second, nil},
	}
	for _, step := range steps {
		for _, rp := range replays {
			t.Run(step.name+"/"+rp.name, func(t *testing.T) {
				fx := newFixture(t)
				var logs logBuffer
				clock := &testClock{}
				f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithLogger(logs.logger()), WithClock(clock.now))
				call := capturedCall(t, fx, f)
				clock.advance(rp.advance)

				rec := resend(f, call.Requests[step.req], rp.edit)
				if !apologized(rec) {
					t.Errorf("replay answered %d %s, want the apology", rec.Code, rec.Body)
				}
				if n := fx.backendHits(); n != 1 {
					t.Errorf("backend called %d times, want 1", n)
				}
				if n := logs.count(`"level":"WARN"`, `"outcome":"replayed"`, `"call_sid":"`+call.Sid); n != 1 {
					t.Errorf("%d replayed warnings, want 1:\n%s", n, logs.String())
				}
			})
		}
	}
}

// TestRetryGetsSavedAnswer resends each request of a call unchanged inside
// the retry window: the answer is byte for byte the first one, and the
// step does not run again.
func TestRetryGetsSavedAnswer(t *testing.T) {
	for _, req := range []int{1, 2, 3} {
		t.Run(strings.Fields("start silence card pin")[req], func(t *testing.T) {
			fx := newFixture(t)
			var logs logBuffer
			clock := &testClock{}
			store := newSpyStore(t)
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithLogger(logs.logger()), WithClock(clock.now), WithStore(store))
			call := capturedCall(t, fx, f)
			saves := len(store.saved)
			clock.advance(DefaultRetryWindow - time.Second)

			for i := range 2 {
				rec := resend(f, call.Requests[req], nil)
				if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), call.Requests[req].Body) {
					t.Errorf("retry %d answered %d\n%s\nwant the first answer\n%s", i, rec.Code, rec.Body, call.Requests[req].Body)
				}
			}
			if n := fx.backendHits(); n != 1 {
				t.Errorf("backend called %d times, want 1", n)
			}
			if len(store.saved) != saves {
				t.Errorf("retries saved %d answers, want none", len(store.saved)-saves)
			}
			if n := logs.count(`"level":"INFO"`, `"outcome":"retried"`); n != 2 {
				t.Errorf("%d retried lines, want 2:\n%s", n, logs.String())
			}
		})
	}
}

// TestRetryWindow checks the window's edges for several settings.
func TestRetryWindow(t *testing.T) {
	tests := []struct {
		name      string
		opts      []Option
		after     time.Duration
		wantRetry bool
	}{
		{"default, inside", nil, DefaultRetryWindow - time.Second, true},
		{"default, outside", nil, DefaultRetryWindow + time.Second, false},
		{"5s, inside", []Option{WithRetryWindow(5 * time.Second)}, 4 * time.Second, true},
		{"5s, outside", []Option{WithRetryWindow(5 * time.Second)}, 6 * time.Second, false},
		{"zero refuses at once", []Option{WithRetryWindow(0)}, time.Millisecond, false},
		{"max age 10s shortens the default", []Option{WithMaxAge(10 * time.Second)}, 11 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			clock := &testClock{}
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, append(tt.opts, WithClock(clock.now))...)
			call := capturedCall(t, fx, f)
			clock.advance(tt.after)
			rec := resend(f, call.Requests[2], nil)
			if got := bytes.Equal(rec.Body.Bytes(), call.Requests[2].Body); got != tt.wantRetry {
				t.Errorf("after %v: got the first answer = %v, want %v\n%s", tt.after, got, tt.wantRetry, rec.Body)
			}
			if !tt.wantRetry && !apologized(rec) {
				t.Errorf("refusal is not the apology: %s", rec.Body)
			}
		})
	}
}

// pinRequest answers the first two requests of a call on f and returns the
// PIN step's action, ready to be posted with Digits.
func pinAction(t *testing.T, fx *fixture, f *Flow) string {
	t.Helper()
	card := fx.firstStep(t, f)
	rec := serve(f, card, callForm(testCallSid, "Digits", "1234"))
	action, err := flowtest.GatherAction(testWebhook, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("card step: %v\n%s", err, rec.Body)
	}
	return action
}

// TestConcurrentDuplicate sends the same last-step request twice while the
// backend is still answering the first: the second waits for the first's
// answer and gets the same bytes; the backend is called once. When the
// first takes longer than the wait, the second gets the apology.
func TestConcurrentDuplicate(t *testing.T) {
	tests := []struct {
		name     string
		polls    int
		wantSame bool
	}{
		{"first answers within the wait", 1000, true},
		{"first outlasts the wait", 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			backend := &blockingBackend{next: fx.backend, arrived: make(chan struct{}, 2), release: make(chan struct{})}
			server := httptest.NewServer(backend)
			t.Cleanup(server.Close)
			store := newSpyStore(t)
			var logs logBuffer
			f := fx.newFlow(t, testBackend{URL: server.URL}, WithStore(store), WithLogger(logs.logger()))
			f.single.polls, f.single.pollEvery = tt.polls, time.Millisecond
			action := pinAction(t, fx, f)
			form := callForm(testCallSid, "Digits", "4321")

			release := sync.OnceFunc(func() { close(backend.release) })
			t.Cleanup(release) // before the server closes, should the test fail early
			var wg sync.WaitGroup
			var first, second *httptest.ResponseRecorder
			wg.Add(2)
			go func() { defer wg.Done(); first = serve(f, action, form) }()
			<-backend.arrived
			before := store.claims.Load()
			go func() { defer wg.Done(); second = serve(f, action, form) }()
			// Release the backend once the second request is waiting for
			// the first's answer (it has claimed twice), or has given up.
			if tt.wantSame {
				waitFor(t, func() bool { return store.claims.Load() >= before+2 })
			} else {
				waitFor(t, func() bool { return logs.count(`"outcome":"replayed"`) == 1 })
			}
			release()
			wg.Wait()

			if !strings.Contains(first.Body.String(), saySuccess) {
				t.Fatalf("first request: %s", first.Body)
			}
			if same := bytes.Equal(first.Body.Bytes(), second.Body.Bytes()); same != tt.wantSame {
				t.Errorf("second answer is the first = %v, want %v\n%s", same, tt.wantSame, second.Body)
			}
			if !tt.wantSame && !apologized(second) {
				t.Errorf("second request: %s, want the apology", second.Body)
			}
			if n := fx.backendHits(); n != 1 {
				t.Errorf("backend called %d times, want 1", n)
			}
		})
	}
}

// TestStoreFailures checks that a store that cannot answer fails the step
// closed, or open when the flow says so, and that a failed save still
// answers.
func TestStoreFailures(t *testing.T) {
	down := errors.New("dial tcp 127.0.0.1:6379: connection refused")
	tests := []struct {
		name      string
		opts      []Option
		claimErr  error
		saveErr   error
		wantSay   string // what the PIN step answers
		wantLevel string
		wantOut   string
		wantHits  int
	}{
		{"claim fails: closed", nil, down, nil, sayApology, "ERROR", "store_failed", 0},
		{"claim fails: open", []Option{InsecureStoreFailOpen()}, down, nil, saySuccess, "WARN", "finished", 1},
		{"save fails: answered", nil, nil, down, saySuccess, "WARN", "finished", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			store := newSpyStore(t)
			var logs logBuffer
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, append(tt.opts, WithStore(store), WithLogger(logs.logger()))...)
			action := pinAction(t, fx, f)
			if tt.claimErr != nil {
				store.claimErr.Store(&tt.claimErr)
			}
			if tt.saveErr != nil {
				store.saveErr.Store(&tt.saveErr)
			}
			rec := serve(f, action, callForm(testCallSid, "Digits", "4321"))
			if !strings.Contains(rec.Body.String(), tt.wantSay) {
				t.Errorf("answered %s, want %q", rec.Body, tt.wantSay)
			}
			if n := fx.backendHits(); n != tt.wantHits {
				t.Errorf("backend called %d times, want %d", n, tt.wantHits)
			}
			if logs.count(`"level":"`+tt.wantLevel+`"`, `"outcome":"`+tt.wantOut+`"`, "connection refused") != 1 {
				t.Errorf("no %s line for %s with the store's error:\n%s", tt.wantLevel, tt.wantOut, logs.String())
			}
		})
	}
}

// TestStoreFull: a MemoryStore that has no room refuses rather than
// forgets, and the flow fails closed.
func TestStoreFull(t *testing.T) {
	fx := newFixture(t)
	store, err := NewMemoryStore(2)
	if err != nil {
		t.Fatal(err)
	}
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(store))
	action := pinAction(t, fx, f) // the call's entry and the card step hold the two entries
	if rec := serve(f, action, callForm(testCallSid, "Digits", "4321")); !apologized(rec) {
		t.Errorf("full store: %s, want the apology", rec.Body)
	}
	if n := fx.backendHits(); n != 0 {
		t.Errorf("backend called %d times, want 0", n)
	}
}

// TestReplayLeavesRecordingAlone: a replay or a retry is not the live
// call's request, so it neither pauses nor resumes the recording.
func TestReplayLeavesRecordingAlone(t *testing.T) {
	fx := newFixture(t)
	pauser := &fakePauser{}
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithRecordingPause(pauser))
	caller := fx.caller(f)
	caller.Params.Set("AccountSid", pauserAccount)
	call := caller.Call("", "1234", "4321")
	if call.LastSaid() != saySuccess || len(call.Requests) != 4 {
		t.Fatalf("tutorial call did not succeed in 4 requests:\n%s", call.Transcript())
	}
	pauser.mu.Lock()
	ops := len(pauser.ops)
	pauser.mu.Unlock()
	for _, r := range call.Requests[1:] {
		resend(f, r, nil)                                                // retried
		resend(f, r, func(f url.Values) { f.Set("Digits", "5555") })     // replayed
		resend(f, r, func(f url.Values) { f.Set("CallStatus", "busy") }) // replayed, call "over"
	}
	pauser.mu.Lock()
	defer pauser.mu.Unlock()
	if len(pauser.ops) != ops {
		t.Errorf("replays and retries called the pauser: %q after %q", pauser.ops[ops:], pauser.ops[:ops])
	}
}

func TestSingleUseOptions(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
	}{
		{"nil store", []Option{WithStore(nil)}},
		{"negative window", []Option{WithRetryWindow(-time.Second)}},
		{"window over max age", []Option{WithMaxAge(10 * time.Second), WithRetryWindow(11 * time.Second)}},
		{"window over max age, either order", []Option{WithRetryWindow(time.Minute), WithMaxAge(30 * time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := &fixture{master: newFixture(t).master}
			_, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: "http://127.0.0.1:1"}),
				append(tt.opts, WithPublicURL(testPublicURL))...)
			if !errors.Is(err, ErrDefinition) {
				t.Errorf("New = %v, want ErrDefinition", err)
			}
		})
	}
}

// waitFor polls cond until it holds, failing t after five seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestSavedAnswer checks that a saved answer opens only for its own token
// and request, within the window, and unaltered; and that it does not show
// the answer it holds.
func TestSavedAnswer(t *testing.T) {
	f := newFixture(t).flow
	u := f.single
	now := time.Now()
	id, other := TokenID{1}, TokenID{2}
	req := hashContents(testWebhook+"?step=getPin", []twiliosig.Param{{Name: "Digits", Value: "4321"}})
	otherReq := hashContents(testWebhook+"?step=getPin", []twiliosig.Param{{Name: "Digits", Value: "4322"}})
	answer := []byte("<Response><Say>Thank you. Your account number is AC12345678</Say></Response>")
	record := u.sealAnswer(id, req, now, false, answer)
	if bytes.Contains(record, []byte("AC12345678")) || bytes.Contains(record, []byte("Thank")) {
		t.Fatal("saved answer is readable")
	}
	flipped := bytes.Clone(record)
	flipped[len(flipped)/2] ^= 1
	tests := []struct {
		name    string
		record  []byte
		id      TokenID
		req     requestHash
		at      time.Time
		wantErr error
	}{
		{"same request inside the window", record, id, req, now.Add(u.window), nil},
		{"after the window", record, id, req, now.Add(u.window + time.Millisecond), errRetryLate},
		{"other request", record, id, otherReq, now, errReplayed},
		{"other token", record, other, req, now, errSavedReply},
		{"altered", flipped, id, req, now, errSavedReply},
		{"truncated", record[:20], id, req, now, errSavedReply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := u.openAnswer(tt.record, tt.id, tt.req, tt.at)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("openAnswer error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && !bytes.Equal(got, answer) {
				t.Errorf("openAnswer = %q, want %q", got, answer)
			}
		})
	}
}

// TestTokenIDIsTheTag checks that an opened state is named by its
// token's GCM tag: two tokens for the same state have two names.
func TestTokenIDIsTheTag(t *testing.T) {
	f := newFixture(t).flow
	st := &state{issuedAt: time.Now(), attempt: 1}
	a, b := f.states.seal(st, testCallSid, "getPin"), f.states.seal(st, testCallSid, "getPin")
	var ids []TokenID
	for _, token := range []string{a, b} {
		opened, err := f.states.open(token, testCallSid, "getPin", len(f.steps))
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		raw, err := tokenEncoding.DecodeString(token)
		if err != nil {
			t.Fatal(err)
		}
		if want := TokenID(raw[len(raw)-aescrypt.Overhead:]); opened.id != want {
			t.Errorf("id = %x, want the tag %x", opened.id, want)
		}
		ids = append(ids, opened.id)
	}
	if ids[0] == ids[1] {
		t.Error("two tokens share a TokenID")
	}
}

// TestSingleUseAcrossKeyRotation runs a call on one replica and sends its
// requests to another that shares its store and has already rotated its
// key (a new primary, the old one kept to open tokens): a changed request
// is still a replay there, and an identical one still gets the saved
// answer. A TokenID keyed from the primary would let the second replica
// answer the token again.
func TestSingleUseAcrossKeyRotation(t *testing.T) {
	fx := newFixture(t)
	store, err := NewMemoryStore(100)
	if err != nil {
		t.Fatal(err)
	}
	first := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(store))
	rotated := &fixture{master: aescrypt.New(aescrypt.GenerateKey(), fx.master.Primary()), backend: fx.backend, server: fx.server}
	second := rotated.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(store))
	call := capturedCall(t, fx, first)
	card := call.Requests[2]

	if rec := resend(second, card, func(f url.Values) { f.Set("Digits", "9999") }); !apologized(rec) {
		t.Errorf("changed card step on the rotated replica answered %d %s, want the apology", rec.Code, rec.Body)
	}
	if rec := resend(second, card, nil); rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), card.Body) {
		t.Errorf("identical card step on the rotated replica answered %d\n%s\nwant the first answer\n%s", rec.Code, rec.Body, card.Body)
	}
}

// TestSingleUseWithoutSignatures checks single use when signature checks
// are off, where a request is named by its contents: an identical retry
// gets the saved answer, a changed one is a replay.
func TestSingleUseWithoutSignatures(t *testing.T) {
	fx := newFixture(t)
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, InsecureSkipSignatureCheck())
	call := capturedCall(t, fx, f)
	card := call.Requests[2]
	if rec := resend(f, card, nil); rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), card.Body) {
		t.Errorf("identical retry answered %d\n%s\nwant the first answer\n%s", rec.Code, rec.Body, card.Body)
	}
	if rec := resend(f, card, func(f url.Values) { f.Set("Digits", "9999") }); !apologized(rec) {
		t.Errorf("changed request answered %d %s, want the apology", rec.Code, rec.Body)
	}
}

// TestEntryAnswersOnce: a call's first request carries no token, and
// answers once too. Twilio's retry of it inside the window gets the first
// answer byte for byte; an identical copy after the window gets the
// apology and leaves the recording alone (it used to ask again and pause
// the recording every time); a new entry with parameters of its own (a
// Studio flow looping back into this one) starts afresh.
func TestEntryAnswersOnce(t *testing.T) {
	fx := newFixture(t)
	p := &fakePauser{}
	clock := &testClock{}
	var logs logBuffer
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithClock(clock.now), WithRecordingPause(p), WithLogger(logs.logger()))
	entry := callForm(testCallSid, "AccountSid", pauserAccount, "lang", "en")
	first := serve(f, testWebhook, entry)
	if _, err := flowtest.GatherAction(testWebhook, first.Body.Bytes()); err != nil {
		t.Fatalf("first entry: %v", err)
	}

	retry := serve(f, testWebhook, entry)
	if !bytes.Equal(retry.Body.Bytes(), first.Body.Bytes()) || logs.count(`"outcome":"retried"`) != 1 {
		t.Errorf("a retry inside the window got %s, want the first answer again, logged retried", retry.Body)
	}

	again := callForm(testCallSid, "AccountSid", pauserAccount, "lang", "es")
	fresh := serve(f, testWebhook, again)
	action, err := flowtest.GatherAction(testWebhook, fresh.Body.Bytes())
	if err != nil || bytes.Equal(fresh.Body.Bytes(), first.Body.Bytes()) {
		t.Fatalf("a new entry with its own parameters: %v %s, want a new first step", err, fresh.Body)
	}
	if rec := serve(f, action, callForm(testCallSid, "AccountSid", pauserAccount, "Digits", "1234")); !strings.Contains(rec.Body.String(), sayPin) {
		t.Errorf("the new entry's token did not work: %s", rec.Body)
	}

	clock.advance(DefaultRetryWindow + time.Second)
	if late := serve(f, testWebhook, entry); !apologized(late) {
		t.Errorf("an identical entry after the window got %s, want the apology", late.Body)
	}
	if n := logs.count(`"level":"WARN"`, `"outcome":"replayed"`); n != 1 {
		t.Errorf("%d replayed warnings, want 1:\n%s", n, logs.String())
	}
	if got := p.calls(); !slices.Equal(got, []string{"pause", "pause"}) {
		t.Errorf("pauser calls %q, want one pause per real entry", got)
	}
}

// TestRetriedFinishAnswer: by default an identical retry of the request
// that ran Finish gets Finish's answer again; WithRetriedFinishAnswer
// gives it neutral verbs instead, and Finish still runs once.
func TestRetriedFinishAnswer(t *testing.T) {
	const neutral = "Thank you for calling. Goodbye."
	for _, withNeutral := range []bool{false, true} {
		t.Run(fmt.Sprintf("neutral=%v", withNeutral), func(t *testing.T) {
			fx := newFixture(t)
			var opts []Option
			if withNeutral {
				opts = append(opts, WithRetriedFinishAnswer(twiml.Say{Text: neutral}))
			}
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, opts...)
			call := capturedCall(t, fx, f)
			rec := resend(f, call.Requests[3], nil)
			want := saySuccess
			if withNeutral {
				want = neutral
			}
			if !strings.Contains(rec.Body.String(), want) || !strings.Contains(rec.Body.String(), "<Hangup") {
				t.Errorf("retried finish answered %s, want %q and a hang-up", rec.Body, want)
			}
			if withNeutral && strings.Contains(rec.Body.String(), "AC12345678") {
				t.Errorf("the neutral answer holds the account: %s", rec.Body)
			}
			if n := fx.backendHits(); n != 1 {
				t.Errorf("backend called %d times, want 1", n)
			}
		})
	}
	fx := newFixture(t)
	if _, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}),
		WithPublicURL(testPublicURL), WithRetriedFinishAnswer(twiml.Say{})); !errors.Is(err, ErrDefinition) {
		t.Errorf("an empty Say as the retried answer: %v, want ErrDefinition", err)
	}
}

// orderStore records, beside a ResponseWriter, whether the answer was
// written and flushed when Save ran.
type orderStore struct {
	Store
	written *atomic.Bool
	saves   atomic.Int32
	early   atomic.Int32 // saves that ran before the answer was written and flushed
}

func (s *orderStore) Save(ctx context.Context, id TokenID, record []byte, keep time.Duration) error {
	s.saves.Add(1)
	if !s.written.Load() {
		s.early.Add(1)
	}
	return s.Store.Save(ctx, id, record, keep)
}

// writeWatcher marks when the answer is written and flushed: out to the
// client, as net/http would otherwise send it only once the handler
// returns.
type writeWatcher struct {
	http.ResponseWriter
	written *atomic.Bool
	wrote   *atomic.Bool
}

func (w writeWatcher) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.wrote.Store(true)
	return n, err
}

func (w writeWatcher) Flush() {
	if w.wrote.Load() {
		w.written.Store(true)
	}
}

// watchWrites serves h, setting written once each request's answer is
// written and flushed (and clearing it as each request comes).
func watchWrites(h http.Handler, written *atomic.Bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var wrote atomic.Bool
		written.Store(false)
		h.ServeHTTP(writeWatcher{w, written, &wrote}, r)
	})
}

// TestSaveAfterWrite: on a store that cannot claim and save at once (not
// a ClaimSaver), a step's answer is written and flushed before it is
// saved, so Twilio waits for one store round trip, not two; a save that
// fails is logged, and leaves the token claimed: a later identical retry
// gets the apology, never a second run.
func TestSaveAfterWrite(t *testing.T) {
	fx := newFixture(t)
	var written atomic.Bool
	mem, err := NewMemoryStore(100)
	if err != nil {
		t.Fatal(err)
	}
	store := &orderStore{Store: mem, written: &written}
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(store))
	if call := fx.caller(watchWrites(f, &written)).Call("1234", "4321"); call.LastSaid() != saySuccess {
		t.Fatalf("call failed:\n%s", call.Transcript())
	}
	if store.saves.Load() != 3 || store.early.Load() != 0 {
		t.Errorf("%d saves, %d before the answer was written; want 3, none early", store.saves.Load(), store.early.Load())
	}

	spy := newSpyStore(t)
	saveErr := errors.New("store down")
	spy.saveErr.Store(&saveErr)
	var logs logBuffer
	g := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(spy), WithLogger(logs.logger()))
	g.single.polls, g.single.pollEvery = 1, time.Millisecond
	call := fx.caller(g).Call("1234", "4321")
	if call.LastSaid() != saySuccess {
		t.Fatalf("a failed save changed the answer:\n%s", call.Transcript())
	}
	if logs.count(`"level":"WARN"`, "store down") != 3 {
		t.Errorf("want a warning per failed save:\n%s", logs.String())
	}
	if rec := resend(g, call.Requests[2], nil); !apologized(rec) {
		t.Errorf("a retry after a failed save got %s, want the apology", rec.Body)
	}
	if n := fx.backendHits(); n != 2 {
		t.Errorf("backend called %d times, want once per call", n)
	}
}
