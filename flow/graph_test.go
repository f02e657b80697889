package flow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

func sayV(text string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: text}} }

// menuSteps is a menu that sends 1 to [dob, pin] and 2 to [pin2], each
// branch ending on its own.
func menuSteps() []Step {
	return []Step{
		{Name: "menu", Plain: true, Digits: Exactly(1), Prompt: sayV("Press 1 or 2."),
			Next: func(v string) string {
				if v == "2" {
					return "pin2"
				}
				return "dob"
			}, Targets: []string{"dob", "pin2"}},
		{Name: "dob", Digits: Exactly(8), Prompt: sayV("Date of birth.")},
		{Name: "pin", Digits: Exactly(4), Prompt: sayV("PIN."), Then: End},
		{Name: "pin2", Digits: Exactly(4), Prompt: sayV("Other PIN.")},
	}
}

// recorder collects the Results a Finish is handed and the Events of
// every request.
type recorder struct {
	mu      sync.Mutex
	results []*Result
	events  []Event
}

func (r *recorder) finish(_ context.Context, res *Result) ([]twiml.Verb, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results = append(r.results, res)
	return []twiml.Verb{twiml.Say{Text: "Finished " + string(res.Outcome) + "."}}, nil
}

func (r *recorder) observe(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) outcomes() []Outcome {
	var out []Outcome
	for _, ev := range r.events {
		out = append(out, ev.Outcome)
	}
	return out
}

func newRecorded(t *testing.T, steps []Step, opts ...Option) (*Flow, *recorder) {
	t.Helper()
	rec := &recorder{}
	opts = append([]Option{WithPublicURL(testPublicURL), WithObserver(rec.observe)}, opts...)
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps, rec.finish, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f, rec
}

func TestDefinitionRefusals(t *testing.T) {
	p := sayV("Enter.")
	choose := func(string) string { return "" }
	tests := []struct {
		name     string
		steps    []Step
		wantStep string
	}{
		{"Then names no step", []Step{{Name: "a", Digits: Exactly(4), Prompt: p, Then: "nowhere"}}, `"a"`},
		{"target names no step", []Step{{Name: "m", Plain: true, Digits: Exactly(1), Prompt: p, Next: choose, Targets: []string{"b"}}}, `"m"`},
		{"Next without Targets", []Step{{Name: "m", Plain: true, Digits: Exactly(1), Prompt: p, Next: choose}}, `"m"`},
		{"Next on a sensitive step", []Step{{Name: "s", Digits: Exactly(4), Prompt: p, Next: choose, Targets: []string{End}}}, `"s"`},
		{"unreachable step", []Step{
			{Name: "a", Digits: Exactly(4), Prompt: p, Then: End},
			{Name: "orphan", Digits: Exactly(4), Prompt: p}}, `"orphan"`},
		{"self loop", []Step{{Name: "loop", Digits: Exactly(4), Prompt: p, Then: "loop"}}, `"loop"`},
		{"cycle of sensitive steps", []Step{
			{Name: "a", Digits: Exactly(4), Prompt: p},
			{Name: "b", Digits: Exactly(4), Prompt: p},
			{Name: "c", Digits: Exactly(4), Prompt: p, Then: "b"}}, `"b"`},
		{"cycle whose menu cannot leave", []Step{
			{Name: "m", Plain: true, Digits: Exactly(1), Prompt: p, Next: choose, Targets: []string{"x"}, Then: "x"},
			{Name: "x", Digits: Exactly(4), Prompt: p, Then: "m"}}, `"m"`},
		{"keypad step without Digits", []Step{{Name: "nodigits", Prompt: p}}, `"nodigits"`},
		{"Between(n, n)", []Step{{Name: "fixed", Digits: Between(4, 4), Prompt: p}}, `"fixed"`},
		{"Reveal without Reveals", []Step{{Name: "r", Digits: Exactly(4), Prompt: p, Reveal: func(string) map[string]string { return nil }}}, `"r"`},
		{"fact declared twice", []Step{
			{Name: "a", Digits: Exactly(4), Prompt: p, Reveals: []string{"x"}, Reveal: func(string) map[string]string { return nil }},
			{Name: "b", Digits: Exactly(4), Prompt: p, Reveals: []string{"x"}, Reveal: func(string) map[string]string { return nil }}}, `"b"`},
		{"interrupt key is the finish key", []Step{{Name: "i", Digits: Between(4, 8), Prompt: p, InterruptKey: "#"}}, `"i"`},
		{"interrupt key on a speech step", []Step{{Name: "isp", Input: InputSpeech, MaxSpeechLen: 8, Prompt: p, InterruptKey: "*"}}, `"isp"`},
		{"retry keyed on an error, not rejected", []Step{{Name: "re", Digits: Exactly(4), Prompt: p,
			Retries: []Retry{{Reason: ReasonInvalid, Err: ErrInvalidDigits, Verbs: p}}}}, `"re"`},
		{"sensitive speech with partial results", []Step{{Name: "sp", Input: InputSpeech, MaxSpeechLen: 20, Prompt: p,
			Speech: SpeechOptions{PartialResultCallback: "https://elsewhere.example.com/partial"}}}, `"sp"`},
		{"speech step without MaxSpeechLen", []Step{{Name: "sp", Input: InputSpeech, Prompt: p}}, `"sp"`},
		{"speech settings on a keys step", []Step{{Name: "k", Digits: Exactly(4), MaxSpeechLen: 4, Prompt: p}}, `"k"`},
		{"DigitsFor without Digits", []Step{{Name: "df", Input: InputSpeech, MaxSpeechLen: 4, Prompt: p,
			DigitsFor: func(*Call) Digits { return Exactly(3) }}}, `"df"`},
	}
	master := aescrypt.New(aescrypt.GenerateKey())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(master, testAuthToken, tt.steps, finishDone, WithPublicURL(testPublicURL))
			if !errors.Is(err, ErrDefinition) {
				t.Fatalf("New = %v, want ErrDefinition", err)
			}
			if !strings.Contains(err.Error(), tt.wantStep) {
				t.Errorf("error %q does not name step %s", err, tt.wantStep)
			}
		})
	}
	t.Run("a cycle a menu can leave", func(t *testing.T) {
		steps := []Step{
			{Name: "m", Plain: true, Digits: Exactly(1), Prompt: p, Next: choose, Targets: []string{"x"}, Then: End},
			{Name: "x", Digits: Exactly(4), Prompt: p, Then: "m"},
		}
		if _, err := New(master, testAuthToken, steps, finishDone, WithPublicURL(testPublicURL)); err != nil {
			t.Fatalf("New = %v, want nil", err)
		}
	})
}

func TestBranchesEndOnTheirOwn(t *testing.T) {
	f, rec := newRecorded(t, menuSteps())
	tests := []struct {
		name      string
		keys      []string
		wantPath  []string
		wantSaid  []string
		sealedLen int
	}{
		{"branch 1", []string{"1", "19800101", "1234"}, []string{"menu", "dob", "pin"},
			[]string{"Press 1 or 2.", "Date of birth.", "PIN.", "Finished finished."}, 2},
		{"branch 2", []string{"2", "4321"}, []string{"menu", "pin2"},
			[]string{"Press 1 or 2.", "Other PIN.", "Finished finished."}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.results = nil
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(tt.keys...)
			if !slices.Equal(call.Said, tt.wantSaid) {
				t.Fatalf("said %q, want %q", call.Said, tt.wantSaid)
			}
			if len(rec.results) != 1 {
				t.Fatalf("Finish ran %d times", len(rec.results))
			}
			r := rec.results[0]
			if !slices.Equal(r.Path, tt.wantPath) || len(r.Sealed) != tt.sealedLen || r.Outcome != OutcomeFinished || r.Step != "" {
				t.Errorf("result path %q outcome %q step %q, %d sealed; want path %q, %d sealed", r.Path, r.Outcome, r.Step, len(r.Sealed), tt.wantPath, tt.sealedLen)
			}
		})
	}
}

func TestPathAfterALoop(t *testing.T) {
	steps := []Step{
		{Name: "pin", Digits: Exactly(4), Prompt: sayV("PIN.")},
		{Name: "again", Plain: true, Digits: Exactly(1), Prompt: sayV("Press 1 to start over."),
			Next: func(v string) string {
				if v == "1" {
					return "pin"
				}
				return ""
			}, Targets: []string{"pin"}},
	}
	f, rec := newRecorded(t, steps)
	flowtest.NewCaller(f, testWebhook, testAuthToken).Call("1111", "1", "2222", "2")
	if len(rec.results) != 1 || !slices.Equal(rec.results[0].Path, []string{"pin", "again"}) || rec.results[0].Plain["again"] != "2" {
		t.Fatalf("results %+v", rec.results)
	}
}

func TestNextOutsideTargets(t *testing.T) {
	steps := menuSteps()
	steps[0].Next = func(string) string { return "pin" } // declared: dob, pin2
	f, rec := newRecorded(t, steps)
	call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call("1")
	if call.LastSaid() != DefaultSentences().Apology || !slices.Contains(rec.outcomes(), OutcomeBadNext) {
		t.Fatalf("outcomes %v:\n%s", rec.outcomes(), call.Transcript())
	}
}

func TestHangUp(t *testing.T) {
	tests := []struct {
		name        string
		opts        []Option
		keys        []string
		wantResults int
		wantPath    []string
	}{
		{"at a prompt, mid-flow", nil, []string{"1", flowtest.HangUp}, 0, nil},
		{"mid-entry, mid-flow", nil, []string{"1", "1980" + flowtest.HangUp}, 0, nil},
		{"right after the last digits", nil, []string{"2", "4321" + flowtest.HangUp}, 0, nil},
		{"finish on hang-up, at a prompt", []Option{WithFinishOnHangUp()}, []string{"1", flowtest.HangUp}, 1, []string{"menu"}},
		{"finish on hang-up, the last digits", []Option{WithFinishOnHangUp()}, []string{"2", "4321" + flowtest.HangUp}, 1, []string{"menu", "pin2"}},
		{"finish on hang-up, a wrong entry", []Option{WithFinishOnHangUp()}, []string{"2", "43" + flowtest.HangUp}, 1, []string{"menu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rec := newRecorded(t, menuSteps(), tt.opts...)
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(tt.keys...)
			last := call.Requests[len(call.Requests)-1]
			if call.End != flowtest.EndCallerHangup || string(last.Body) != "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>" {
				t.Fatalf("end %v, last answer %q", call.End, last.Body)
			}
			if got := rec.outcomes(); got[len(got)-1] != OutcomeHungUp {
				t.Errorf("outcomes %v, want hung_up last", got)
			}
			if len(rec.results) != tt.wantResults {
				t.Fatalf("Finish ran %d times, want %d", len(rec.results), tt.wantResults)
			}
			if tt.wantResults > 0 {
				r := rec.results[0]
				if r.Outcome != OutcomeHungUp || !slices.Equal(r.Path, tt.wantPath) || r.Step == "" {
					t.Errorf("result outcome %q path %q step %q, want hung_up, %q", r.Outcome, r.Path, r.Step, tt.wantPath)
				}
			}
		})
	}
}

func TestEndings(t *testing.T) {
	steps := func() []Step {
		return []Step{{Name: "card", Digits: Between(4, 8), Prompt: sayV("Card."), InterruptKey: "*", Attempts: 2}}
	}
	tests := []struct {
		name        string
		opts        []Option
		keys        []string
		wantOutcome Outcome
		wantResult  bool
		wantLast    string
	}{
		{"gave up, by default", nil, []string{"", ""}, OutcomeGaveUp, false, DefaultSentences().Goodbye},
		{"gave up, every ending", []Option{WithEveryEnding()}, []string{"", "12#"}, OutcomeGaveUp, true, "Finished gave_up."},
		{"interrupted, by default", nil, []string{"12*"}, OutcomeInterrupted, false, DefaultSentences().Goodbye},
		{"interrupted, every ending", []Option{WithEveryEnding()}, []string{"*"}, OutcomeInterrupted, true, "Finished interrupted."},
		{"finished", []Option{WithEveryEnding()}, []string{"1234#"}, OutcomeFinished, true, "Finished finished."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rec := newRecorded(t, steps(), tt.opts...)
			caller := flowtest.NewCaller(f, testWebhook, testAuthToken)
			call := caller.Call(tt.keys...)
			if call.LastSaid() != tt.wantLast {
				t.Fatalf("last said %q, want %q\n%s", call.LastSaid(), tt.wantLast, call.Transcript())
			}
			if got := rec.outcomes(); got[len(got)-1] != tt.wantOutcome {
				t.Errorf("outcomes %v, want %v last", got, tt.wantOutcome)
			}
			if (len(rec.results) == 1) != tt.wantResult {
				t.Fatalf("Finish ran %d times", len(rec.results))
			}
			if tt.wantResult {
				r := rec.results[0]
				if r.Outcome != tt.wantOutcome || (tt.wantOutcome != OutcomeFinished) != (r.Step == "card") {
					t.Errorf("result outcome %q step %q", r.Outcome, r.Step)
				}
				if tt.wantOutcome == OutcomeGaveUp && r.Reason != ReasonInvalid {
					t.Errorf("gave up for %v, want invalid", r.Reason)
				}
			}
		})
	}
}

func TestRequestLimit(t *testing.T) {
	steps := []Step{{Name: "m", Plain: true, Digits: Exactly(1), Prompt: sayV("Again?"),
		Next: func(v string) string {
			if v == "1" {
				return "m"
			}
			return ""
		}, Targets: []string{"m"}}}
	f, rec := newRecorded(t, steps, WithMaxRequests(5))
	caller := flowtest.NewCaller(f, testWebhook, testAuthToken)
	call := caller.Call("1", "1", "1", "1", "1", "1", "1")
	if call.LastSaid() != DefaultSentences().Apology || len(call.Requests) != 6 {
		t.Fatalf("%d requests, last said %q", len(call.Requests), call.LastSaid())
	}
	if got := rec.outcomes(); got[len(got)-1] != OutcomeTooManyRequests {
		t.Errorf("outcomes %v", got)
	}
	for _, n := range []int{1, maxRequestsLimit + 1} {
		if _, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps, finishDone, WithMaxRequests(n)); !errors.Is(err, ErrDefinition) {
			t.Errorf("WithMaxRequests(%d): %v, want ErrDefinition", n, err)
		}
	}
}

// TestTokenOwnExpiry: a token is refused past its own expiry, sized from
// its step, well before the flow's max age.
func TestTokenOwnExpiry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	f, rec := newRecorded(t, tutorialSteps(), WithClock(clock))
	first := httptest.NewRecorder()
	form := url.Values{"CallSid": {testCallSid}}
	f.ServeHTTP(first, flowtest.NewRequest(http.MethodPost, testWebhook, form, testAuthToken))
	action, err := flowtest.GatherAction(testWebhook, first.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(action)
	st, err := f.states.open(u.Query().Get(stateParam), testCallSid, "getLast4CC", 2)
	if err != nil {
		t.Fatal(err)
	}
	life := st.expires.Sub(st.issuedAt)
	// Prompt (56 characters), 5 timeouts of 10 s, and the slack.
	if life < 50*time.Second+tokenSlack || life > 2*time.Minute+tokenSlack {
		t.Fatalf("token life %v", life)
	}
	for _, tt := range []struct {
		after time.Duration
		want  Outcome
	}{{life + time.Second, OutcomeExpired}, {life, OutcomeGathered}} {
		now = st.issuedAt.Add(tt.after)
		form.Set("Digits", "1234")
		w := httptest.NewRecorder()
		f.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, action, form, testAuthToken))
		if got := rec.events[len(rec.events)-1].Outcome; got != tt.want {
			t.Errorf("%v after issue: %v, want %v", tt.after, got, tt.want)
		}
	}
}

func TestStateV3RoundTrip(t *testing.T) {
	codec, _ := testCodec(t, "card", "pin", "ref")
	issued := time.Unix(1_800_000_000, 0)
	ref := []byte("0123456789abcdef")
	want := &state{issuedAt: issued, expires: issued.Add(95 * time.Second), attempt: 3, requests: 42, paused: true,
		fields: []field{
			{step: 2, reference: true, value: ref},
			{step: 0, value: []byte("sealed bytes"), facts: []byte("\x04VISA\x044242")},
			{step: 1, plain: true, value: []byte("7")},
		}}
	got, err := codec.open(codec.seal(want, testCallSid, "pin"), testCallSid, "pin", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !got.expires.Equal(want.expires) || got.requests != 42 || got.attempt != 3 || !got.paused || len(got.fields) != 3 {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want.fields {
		g := got.fields[i]
		if g.step != w.step || g.plain != w.plain || g.reference != w.reference || string(g.value) != string(w.value) || string(g.facts) != string(w.facts) {
			t.Errorf("field %d: got %+v, want %+v", i, g, w)
		}
	}
	if v, ok := factAt(got.fields[1].facts, 1); !ok || v != "4242" {
		t.Errorf("fact 1 = %q, %v", v, ok)
	}
}

// TestTutorialTokenLength quotes the state token of the tutorial's flow
// at its second step: 100 characters in layout 2.
func TestTutorialTokenLength(t *testing.T) {
	const layout2 = 100
	fx := newFixture(t)
	call := fx.caller(nil).Call("1234", "4321")
	u, err := url.Parse(call.Requests[2].URL)
	if err != nil {
		t.Fatal(err)
	}
	n := len(u.Query().Get(stateParam))
	t.Logf("tutorial token at getPin: %d characters (layout 2: %d)", n, layout2)
	if n > layout2+4 {
		t.Errorf("token of %d characters, over %d + 4", n, layout2)
	}
}
