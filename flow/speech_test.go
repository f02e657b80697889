package flow

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/internal/leaktest"
	"github.com/encgather/encgather/twiml"
)

// speechSteps: a spoken passphrase (sensitive, kept as said), then an
// account number said or typed (sensitive, normalized to digits), then a
// spoken yes or no (Plain).
func speechSteps() []Step {
	return []Step{
		{Name: "phrase", Input: InputSpeech, MaxSpeechLen: 64, Prompt: sayV("Say your passphrase."),
			Speech: SpeechOptions{Model: "phone_call", Hints: "passphrase,code", Language: "en-GB",
				Timeout: twiml.SpeechTimeoutAuto, ProfanityFilter: twiml.ToggleOff, Enhanced: true}},
		{Name: "account", Input: InputKeysOrSpeech, Digits: Between(6, 8), MaxSpeechLen: 8, Normalize: SpokenDigits,
			Prompt: sayV("Say or type your account number.")},
		{Name: "confirm", Plain: true, Input: InputSpeech, MaxSpeechLen: 3, Prompt: sayV("Is that right?"),
			Speech: SpeechOptions{PartialResultCallback: "https://ivr.example.com/partial"},
			Normalize: func(s string) (string, bool) {
				switch strings.ToLower(strings.Trim(s, ". ")) {
				case "yes", "yeah":
					return "yes", true
				case "no":
					return "no", true
				}
				return "", false
			}},
	}
}

// TestNoTranscriptAnywhere runs a call with sensitive speech steps at
// debug logging and looks for the words said in every log line, URL,
// TwiML document, Event and Result; the sealed values open to them.
func TestNoTranscriptAnywhere(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	master := aescrypt.New(aescrypt.GenerateKey())
	var events []Event
	var result *Result
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		result = r
		return []twiml.Verb{twiml.Say{Text: "Thank you."}}, nil
	}
	f, err := New(master, testAuthToken, speechSteps(), finish, WithPublicURL(testPublicURL), WithLogger(logger),
		WithObserver(func(ev Event) { events = append(events, ev) }))
	if err != nil {
		t.Fatal(err)
	}
	said := []string{"my tangerine marmalade", "nine eight seven six five four three", "Yes."}
	secrets := []string{"tangerine", "marmalade", "nine eight", "9876543"}
	call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(
		flowtest.Speech("tangerine tangerine tangerine tangerine tangerine tangerine tangerine tangerine"), // too long: asked again
		flowtest.Speech(said[0]), flowtest.Speech("nine eight"), flowtest.Speech(said[1]), flowtest.Speech(said[2]))
	if call.LastSaid() != "Thank you." || result == nil {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	var places []string
	for _, req := range call.Requests {
		places = append(places, "URL "+req.URL, "TwiML "+string(req.Body))
	}
	mu.Lock()
	places = append(places, strings.Split(logs.String(), "\n")...)
	mu.Unlock()
	for _, p := range places {
		for _, s := range secrets {
			if strings.Contains(strings.ToLower(p), s) {
				t.Errorf("%q appears in %s", s, p)
			}
		}
	}
	var tells []string
	for _, s := range said[:2] {
		tells = append(tells, leaktest.Tells([]byte(s))...)
	}
	for _, ev := range events {
		leaktest.Check(t, ev, tells, "")
	}
	leaktest.Check(t, result, tells, "")
	for field, want := range map[string]string{"phrase": said[0], "account": "9876543"} {
		sealed, err := hex.DecodeString(result.Sealed[field])
		if err != nil {
			t.Fatal(err)
		}
		got, err := master.OpenBytes(sealed, nil)
		if err != nil || string(got) != want {
			t.Errorf("sealed %s opens to %q, %v; want %q", field, got, err, want)
		}
	}
	if result.Plain["confirm"] != "yes" {
		t.Errorf("plain confirm = %q", result.Plain["confirm"])
	}
}

// TestSpeechGather checks the <Gather> of a speech step: Twilio's speech
// attributes, and no numDigits on a speech-only step.
func TestSpeechGather(t *testing.T) {
	f, _ := newRecorded(t, speechSteps())
	call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call()
	body := string(call.Requests[0].Body)
	for _, want := range []string{`input="speech"`, `speechModel="phone_call"`, `hints="passphrase,code"`,
		`language="en-GB"`, `speechTimeout="auto"`, `profanityFilter="false"`, `enhanced="true"`} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in %s", want, body)
		}
	}
	if strings.Contains(body, "numDigits") || strings.Contains(body, "partialResultCallback") {
		t.Errorf("keys or partial results asked of a sensitive speech step: %s", body)
	}
}
