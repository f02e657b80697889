package studio_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/studio"
	"github.com/encgather/encgather/twiml"
)

const (
	testAuthToken = "test-auth-token-0123456789abcdef"
	testWebhook   = "https://ivr.example.com/encrypted-gather"
	testFlowSid   = "FW0123456789abcdef0123456789abcdef"
	testAccount   = "AC00112233445566778899aabbccddeeff"
)

// steps are a plain menu choice, then a sensitive PIN that reveals its
// length as a fact, and may be interrupted with '*'.
func steps() []flow.Step {
	say := func(s string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: s}} }
	return []flow.Step{
		{Name: "menu", Plain: true, Digits: flow.Exactly(1), Prompt: say("Press 1.")},
		{Name: "pin", Field: "encryptedPin", Digits: flow.Exactly(4), Attempts: 2, InterruptKey: "*",
			Prompt: say("Enter your PIN."), Reveals: []string{"length"},
			Reveal: func(v string) map[string]string { return map[string]string{"length": fmt.Sprint(len(v))} }},
	}
}

// newCaller builds a flow that returns to Studio with decide, and a
// caller for it whose calls belong to testAccount.
func newCaller(t *testing.T, decide studio.Decide, opts ...flow.Option) *flowtest.Caller {
	t.Helper()
	ret, err := studio.New(testFlowSid, steps(), "menu", "length", "lang", "ref")
	if err != nil {
		t.Fatalf("studio.New: %v", err)
	}
	opts = append(append(studio.FlowOptions(), flow.WithPublicURL("https://ivr.example.com"), flow.WithEntryParams("lang")), opts...)
	f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps(), ret.Finish(decide), opts...)
	if err != nil {
		t.Fatalf("flow.New: %v", err)
	}
	c := flowtest.NewCaller(f, testWebhook, testAuthToken)
	c.Params.Set("AccountSid", testAccount)
	return c
}

func verify(outcome studio.Outcome, results map[string]string, err error) studio.Decide {
	return func(context.Context, *flow.Result) (studio.Outcome, map[string]string, error) {
		return outcome, results, err
	}
}

func TestReturnEveryOutcome(t *testing.T) {
	base := "https://webhooks.twilio.com/v1/Accounts/" + testAccount + "/Flows/" + testFlowSid + "?FlowEvent=return"
	tests := []struct {
		name    string
		decide  studio.Decide
		entries []string
		want    string // the query after FlowEvent=return; "" for no return
	}{
		{"verified", verify(studio.Verified, map[string]string{"ref": "R-17"}, nil), []string{"1", "1234"},
			"&outcome=verified&menu=1&length=4&lang=en&ref=R-17"},
		{"own outcome word", verify("needs_agent", nil, nil), []string{"1", "1234"},
			"&outcome=needs_agent&menu=1&length=4&lang=en"},
		{"declined", verify("", map[string]string{"ref": "R-17"}, fmt.Errorf("no match: %w", flow.ErrDeclined)), []string{"1", "1234"},
			"&outcome=declined&menu=1&length=4&lang=en"},
		{"failed", verify("", nil, errors.New("backend down")), []string{"1", "1234"},
			"&outcome=failed"},
		{"interrupted", verify(studio.Verified, nil, nil), []string{"1", "*"},
			"&outcome=interrupted&menu=1&lang=en"},
		{"too many attempts", verify(studio.Verified, nil, nil), []string{"1", "", ""},
			"&outcome=too_many_attempts&menu=1&lang=en"},
		{"hung up", verify(studio.Verified, nil, nil), []string{"1", flowtest.HangUp},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := newCaller(t, tt.decide).CallFromStudio(url.Values{"lang": {"en"}}, tt.entries...)
			if tt.want == "" {
				if call.End == flowtest.EndRedirected {
					t.Fatalf("a hung-up call returned to %s", call.RedirectURL)
				}
				return
			}
			if call.End != flowtest.EndRedirected || call.RedirectURL != base+tt.want {
				t.Fatalf("ended %v at %q, want a return to %q:\n%s", call.End, call.RedirectURL, base+tt.want, call.Transcript())
			}
			last := string(call.Requests[len(call.Requests)-1].Body)
			if !strings.Contains(last, `<Redirect method="POST">`) {
				t.Errorf("the return is not a POST redirect: %s", last)
			}
		})
	}
}

func TestReturnParams(t *testing.T) {
	call := newCaller(t, verify(studio.Verified, nil, nil)).CallFromStudio(url.Values{"lang": {"en"}}, "1", "1234")
	got := call.ReturnParams()
	if got.Get("FlowEvent") != "return" || got.Get("outcome") != "verified" || got.Get("lang") != "en" {
		t.Fatalf("ReturnParams() = %v", got)
	}
}

func TestNewRefusesReturnable(t *testing.T) {
	tests := []struct {
		name    string
		flowSid string
		names   []string
		want    string
	}{
		{"sensitive field", testFlowSid, []string{"ref", "encryptedPin"}, `"encryptedPin"`},
		{"sensitive step name", testFlowSid, []string{"pin"}, `"pin"`},
		{"outcome", testFlowSid, []string{"outcome"}, `"outcome"`},
		{"FlowEvent", testFlowSid, []string{"FlowEvent"}, `"FlowEvent"`},
		{"twice", testFlowSid, []string{"ref", "ref"}, `"ref"`},
		{"not a name", testFlowSid, []string{"a-b"}, `"a-b"`},
		{"bad Flow SID", "FW0123", nil, `"FW0123"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := studio.New(tt.flowSid, steps(), tt.names...)
			if !errors.Is(err, flow.ErrDefinition) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: %v, want flow.ErrDefinition naming %s", err, tt.want)
			}
		})
	}
	if _, err := studio.New(testFlowSid, steps(), "menu", "length", "ref"); err != nil {
		t.Fatalf("a plain step's field and a fact refused: %v", err)
	}
}

func TestSIDs(t *testing.T) {
	hex32 := "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name    string
		account string
		flowSid string
		ok      bool
	}{
		{"valid", "AC" + hex32, "FW" + hex32, true},
		{"upper-case hex account", "AC" + strings.ToUpper(hex32), "FW" + hex32, false},
		{"upper-case hex flow", "AC" + hex32, "FW" + strings.ToUpper(hex32), false},
		{"account prefix", "CA" + hex32, "FW" + hex32, false},
		{"flow prefix", "AC" + hex32, "FF" + hex32, false},
		{"short account", "AC" + hex32[1:], "FW" + hex32, false},
		{"long flow", "AC" + hex32, "FW" + hex32 + "0", false},
		{"path in account", "AC" + hex32[:29] + "/..", "FW" + hex32, false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := studio.ReturnURL(tt.account, tt.flowSid)
			if tt.ok != (err == nil) || !tt.ok && !errors.Is(err, studio.ErrSID) {
				t.Fatalf("ReturnURL: %q, %v", u, err)
			}
			if studio.ValidAccountSid(tt.account) && studio.ValidFlowSid(tt.flowSid) != tt.ok {
				t.Fatalf("Valid*Sid disagree with ReturnURL")
			}
		})
	}
}

// TestBadAccountSid: a request whose AccountSid cannot make a return URL
// gets the flow's apology, not a redirect.
func TestBadAccountSid(t *testing.T) {
	c := newCaller(t, verify(studio.Verified, nil, nil))
	c.Params.Set("AccountSid", "AC"+strings.Repeat("A", 32))
	call := c.CallFromStudio(nil, "1", "1234")
	if call.End == flowtest.EndRedirected || call.End != flowtest.EndHangup {
		t.Fatalf("ended %v:\n%s", call.End, call.Transcript())
	}
}

func TestRefusesSecretValues(t *testing.T) {
	tests := []struct {
		name   string
		value  func(r *flow.Result) string
		refuse bool
	}{
		{"a reference", func(*flow.Result) string { return "R-2026-0042" }, false},
		{"23 hex", func(*flow.Result) string { return strings.Repeat("a1", 11) + "b" }, false},
		{"24 hex", func(*flow.Result) string { return strings.Repeat("a1", 12) }, true},
		{"hex in words", func(*flow.Result) string { return "ref " + strings.Repeat("0f", 12) + " ok" }, true},
		{"base64", func(*flow.Result) string { return "tok=QUJDREVGR0hJSktMTU5PUFFSU1RVVldY" }, true},
		{"base64url", func(*flow.Result) string { return "x_-AbCdEfGhIjKlMnOpQrStUv" }, true},
		{"the sealed value", func(r *flow.Result) string { return r.Sealed["encryptedPin"] }, true},
		{"the sealed value, upper case", func(r *flow.Result) string { return strings.ToUpper(r.Sealed["encryptedPin"]) }, true},
		{"too long", func(*flow.Result) string { return strings.Repeat("ab ", 50) }, true},
		{"not UTF-8", func(*flow.Result) string { return "\xff" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var logged []flow.Event
			decide := func(_ context.Context, r *flow.Result) (studio.Outcome, map[string]string, error) {
				return studio.Verified, map[string]string{"ref": tt.value(r)}, nil
			}
			observe := flow.WithObserver(func(ev flow.Event) { mu.Lock(); logged = append(logged, ev); mu.Unlock() })
			call := newCaller(t, decide, observe).CallFromStudio(nil, "1", "1234")
			q := call.ReturnParams()
			if q == nil {
				t.Fatalf("no return:\n%s", call.Transcript())
			}
			last := logged[len(logged)-1]
			if !tt.refuse {
				if q.Get("outcome") != "verified" || q.Get("ref") == "" || last.Err != nil {
					t.Fatalf("refused: %v, %v", q, last.Err)
				}
				return
			}
			if q.Get("outcome") != "failed" || len(q) != 2 {
				t.Fatalf("returned %v, want outcome=failed alone", q)
			}
			if last.Outcome != flow.OutcomeFinishFailed || !errors.Is(last.Err, studio.ErrRefused) || !strings.Contains(last.Err.Error(), `"ref"`) {
				t.Fatalf("logged %s: %v, want finish_failed naming the result", last.Outcome, last.Err)
			}
			if v := tt.value(&flow.Result{}); v != "" && strings.Contains(last.Err.Error(), v) {
				t.Fatalf("the refused value is in the log: %v", last.Err)
			}
		})
	}
}

func TestFromFinish(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"accepted", nil, "verified"},
		{"declined", flow.ErrDeclined, "declined"},
		{"failed", errors.New("down"), "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			finish := func(context.Context, *flow.Result) ([]twiml.Verb, error) {
				return []twiml.Verb{twiml.Say{Text: "said by the backend's Finish"}}, tt.err
			}
			call := newCaller(t, studio.FromFinish(finish)).CallFromStudio(nil, "1", "1234")
			if got := call.ReturnParams().Get("outcome"); got != tt.want {
				t.Fatalf("outcome %q, want %q:\n%s", got, tt.want, call.Transcript())
			}
			if strings.Contains(call.Transcript(), "backend's Finish") {
				t.Fatal("the wrapped Finish's verbs were said")
			}
		})
	}
}

// TestEveryEndingNeeded: without FlowOptions a give-up says the goodbye
// and never returns: what the package doc warns of.
func TestEveryEndingNeeded(t *testing.T) {
	ret, err := studio.New(testFlowSid, steps())
	if err != nil {
		t.Fatal(err)
	}
	f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps(), ret.Finish(verify(studio.Verified, nil, nil)),
		flow.WithPublicURL("https://ivr.example.com"), flow.WithMaxAge(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	call := flowtest.NewCaller(f, testWebhook, testAuthToken).CallFromStudio(nil, "1", "", "")
	if call.End == flowtest.EndRedirected {
		t.Fatal("returned without WithEveryEnding")
	}
}
