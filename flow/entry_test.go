package flow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// entryFlow is the tutorial's flow reading the entry parameters "lang"
// and "ref": its card prompt says the language it was given, and its
// Finish records each Result.
type entryFlow struct {
	flow *Flow
	mu   sync.Mutex
	res  []*Result
	evs  []Event
}

func newEntryFlow(t *testing.T, opts ...Option) *entryFlow {
	t.Helper()
	ef := &entryFlow{}
	steps := tutorialSteps()
	steps[0].PromptFor = func(c *Call) []twiml.GatherVerb {
		lang, ok := c.Fact("lang")
		if !ok {
			lang = "none"
		}
		return []twiml.GatherVerb{twiml.Say{Text: "lang " + lang}}
	}
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		ef.mu.Lock()
		ef.res = append(ef.res, r)
		ef.mu.Unlock()
		return []twiml.Verb{twiml.Say{Text: "done"}}, nil
	}
	observe := func(ev Event) {
		ef.mu.Lock()
		ef.evs = append(ef.evs, ev)
		ef.mu.Unlock()
	}
	opts = append([]Option{WithPublicURL(testPublicURL), WithEntryParams("lang", "ref"), WithObserver(observe)}, opts...)
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps, finish, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ef.flow = f
	return ef
}

func TestEntryParamsReachPromptsAndFinish(t *testing.T) {
	tests := []struct {
		name      string
		query     url.Values
		wantSaid  string
		wantFacts map[string]string
	}{
		{"declared", url.Values{"lang": {"fr"}, "ref": {"R-17"}}, "lang fr", map[string]string{"lang": "fr", "ref": "R-17"}},
		{"undeclared ignored", url.Values{"lang": {"en"}, "secret": {"x"}}, "lang en", map[string]string{"lang": "en"}},
		{"empty is absent", url.Values{"lang": {""}}, "lang none", map[string]string{}},
		{"none", nil, "lang none", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ef := newEntryFlow(t)
			call := flowtest.NewCaller(ef.flow, testWebhook, testAuthToken).CallFromStudio(tt.query, "1234", "4321")
			if call.End != flowtest.EndHangup || call.LastSaid() != "done" {
				t.Fatalf("call ended %v saying %q:\n%s", call.End, call.LastSaid(), call.Transcript())
			}
			if call.Said[0] != tt.wantSaid {
				t.Errorf("first prompt %q, want %q", call.Said[0], tt.wantSaid)
			}
			if len(ef.res) != 1 {
				t.Fatalf("Finish ran %d times", len(ef.res))
			}
			got := ef.res[0].Facts
			if len(got) != len(tt.wantFacts) {
				t.Errorf("Facts = %v, want %v", got, tt.wantFacts)
			}
			for k, v := range tt.wantFacts {
				if got[k] != v {
					t.Errorf("Facts[%q] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestEntryParamsRefusedByNew(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  string
	}{
		{"step parameter", []string{"step"}, `"step"`},
		{"state parameter", []string{"state"}, `"state"`},
		{"Twilio's parameter", []string{"Digits"}, `"Digits"`},
		{"step name", []string{"getPin"}, `"getPin"`},
		{"step field", []string{"encryptedCardDigits"}, `"encryptedCardDigits"`},
		{"twice", []string{"lang", "lang"}, `"lang"`},
		{"not a name", []string{"a b"}, `"a b"`},
		{"none", nil, "entry parameters"},
		{"too many", strings.Fields("a b c d e f g h i"), "entry parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, tutorialSteps(), postJSON(testBackend{}),
				WithPublicURL(testPublicURL), WithEntryParams(tt.names...))
			if !errors.Is(err, ErrDefinition) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: %v, want ErrDefinition naming %s", err, tt.want)
			}
		})
	}
}

func TestEntryParamsBounded(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  Outcome
	}{
		{"at the bound", "lang=" + strings.Repeat("a", MaxEntryLen), OutcomeAsked},
		{"over the bound", "lang=" + strings.Repeat("a", MaxEntryLen+1), OutcomeBadRequest},
		{"given twice", "lang=en&lang=fr", OutcomeBadRequest},
		{"control character", "lang=en%0A", OutcomeBadRequest},
		{"not UTF-8", "lang=%FF", OutcomeBadRequest},
		{"undeclared twice", "other=1&other=2", OutcomeAsked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ef := newEntryFlow(t)
			req := flowtest.NewRequest(http.MethodPost, testWebhook+"?"+tt.query, flowtest.DefaultParams(), testAuthToken)
			rec := httptest.NewRecorder()
			ef.flow.ServeHTTP(rec, req)
			if len(ef.evs) != 1 || ef.evs[0].Outcome != tt.want {
				t.Fatalf("events %+v, want one with outcome %s", ef.evs, tt.want)
			}
			if err := ef.evs[0].Err; err != nil && strings.Contains(err.Error()+rec.Body.String(), "aaaa") {
				t.Errorf("the value reached the log or the answer")
			}
		})
	}
}

// TestEntryParamsSigned: Studio's values are in the signed URL, so a
// request whose query was changed after Twilio signed it is refused.
func TestEntryParamsSigned(t *testing.T) {
	tests := []struct {
		name   string
		change func(q url.Values)
		want   int
	}{
		{"as signed", func(url.Values) {}, http.StatusOK},
		{"value changed", func(q url.Values) { q.Set("lang", "fr") }, http.StatusForbidden},
		{"parameter added", func(q url.Values) { q.Set("ref", "R-1") }, http.StatusForbidden},
		{"parameter removed", func(q url.Values) { q.Del("lang") }, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ef := newEntryFlow(t)
			req := flowtest.NewRequest(http.MethodPost, testWebhook+"?lang=en", flowtest.DefaultParams(), testAuthToken)
			q := req.URL.Query()
			tt.change(q)
			req.URL.RawQuery = q.Encode()
			req.RequestURI = req.URL.RequestURI()
			rec := httptest.NewRecorder()
			ef.flow.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

// TestStudioSecondEntry: a Studio flow may send one call into the flow
// again ("try again"). An entry with other parameters starts afresh; the
// same signed entry again is the first request's replay.
func TestStudioSecondEntry(t *testing.T) {
	ef := newEntryFlow(t)
	caller := flowtest.NewCaller(ef.flow, testWebhook, testAuthToken)
	caller.Params.Set("CallSid", "CA"+strings.Repeat("5a", 16)) // one call throughout
	first := caller.CallFromStudio(url.Values{"lang": {"en"}, "entry": {"1"}}, "1234", "4321")
	second := caller.CallFromStudio(url.Values{"lang": {"fr"}, "entry": {"2"}}, "1234", "4321")
	for i, call := range []*flowtest.Call{first, second} {
		if call.End != flowtest.EndHangup || call.LastSaid() != "done" {
			t.Fatalf("entry %d ended %v:\n%s", i+1, call.End, call.Transcript())
		}
	}
	if len(ef.res) != 2 || ef.res[0].Facts["lang"] != "en" || ef.res[1].Facts["lang"] != "fr" {
		t.Fatalf("results %v, want lang en then fr", ef.res)
	}
	n := len(ef.evs)
	again := caller.CallFromStudio(url.Values{"lang": {"en"}, "entry": {"1"}}, "1234", "4321")
	if ev := ef.evs[n]; ev.Outcome == OutcomeAsked || len(ef.res) != 2 {
		t.Fatalf("the first entry again: outcome %s, %d Finishes:\n%s", ev.Outcome, len(ef.res), again.Transcript())
	}
}

// TestEntryStateBoundToNames: a state issued by a flow with other entry
// parameters does not open.
func TestEntryStateBoundToNames(t *testing.T) {
	a := definitionHash(tutorialSteps(), "lang")
	b := definitionHash(tutorialSteps(), "ref")
	c := definitionHash(tutorialSteps())
	if string(a) == string(b) || string(a) == string(c) {
		t.Fatal("the definition hash does not depend on the entry parameters")
	}
}

func TestDecodeStateEntry(t *testing.T) {
	codec := newStateCodec(aescrypt.New(aescrypt.GenerateKey()), tutorialSteps(), "lang")
	for _, entry := range [][]byte{nil, {2, 'e', 'n'}, {0, 3, 'R', '-', '1'}} {
		st := &state{attempt: 1, requests: 1, entry: entry}
		got, err := codec.open(codec.seal(st, testCallSid, "getPin"), testCallSid, "getPin", 2)
		if err != nil || string(got.entry) != string(entry) {
			t.Fatalf("entry %q: got %q, %v", entry, got.entry, err)
		}
	}
	for name, in := range map[string][]byte{
		"zero length": {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0},
		"value over":  {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 2, 65, 'x'},
		"short value": {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 2, 5, 'x'},
	} {
		if _, err := decodeState(in, 2); err != errState {
			t.Errorf("%s: err = %v, want errState", name, err)
		}
	}
}
