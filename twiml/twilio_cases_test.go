package twiml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// twilioCases gives, for each document in testdata/twilio (TwiML from
// Twilio's documentation and its helper libraries' tests, each naming its
// source), what Parse must read or the error it must report, and whether
// the result is valid.
var twilioCases = map[string]struct {
	want    *Response
	valid   bool
	mention string // for a document Parse refuses: part of the error
}{
	"python_say_all":                {want: verbs(Say{Text: "Hello Monkey", Language: "fr", Loop: 3, Voice: "man"}), valid: true},
	"python_say_french":             {want: verbs(Say{Text: "nécessaire et d'autres"}), valid: true},
	"python_empty_say":              {want: verbs(Say{})},
	"python_play_digits":            {want: verbs(Play{Digits: "w123"}), valid: true},
	"python_redirect_method_params": {want: verbs(Redirect{URL: "example.com?id=34&action=hey", Method: MethodPOST}), valid: true},
	"python_nested_say_play_pause":  {want: verbs(Gather{Verbs: []GatherVerb{Say{Text: "Hey"}, Play{URL: "hey.mp3"}, Pause{}}}), valid: true},
	"python_conference": {want: verbs(Dial{Nouns: []DialNoun{Conference{Name: "TestConferenceAttributes",
		Beep: BeepFalse, EndConferenceOnExit: true, StartConferenceOnEnter: ToggleOn, SilentWait: true}}}), valid: true},
	"python_muted_conference": {want: verbs(Dial{Nouns: []DialNoun{Conference{Name: "TestConferenceMutedAttribute",
		Beep: BeepFalse, EndConferenceOnExit: true, Muted: true, StartConferenceOnEnter: ToggleOn, SilentWait: true}}}), valid: true},
	"python_queue": {want: verbs(Dial{Nouns: []DialNoun{Queue{Name: "TestQueueAttribute", Method: MethodGET}}}), valid: true},
	"python_enqueue": {want: verbs(Enqueue{Name: "TestEnqueueAttribute", Action: "act", Method: MethodGET,
		WaitURL: "wait", WaitURLMethod: MethodPOST}), valid: true},
	"python_enqueue_task": {want: verbs(Enqueue{WorkflowSid: "123123123",
		Task: EnqueueTask{Body: `{"account_sid": "AC123123123"}`}}), valid: true},
	"python_dial": {want: verbs(Dial{PhoneNumber: "1231231234"}), valid: true},
	"python_sip_username_password": {want: verbs(Dial{Nouns: []DialNoun{Sip{URI: "foo@example.com",
		Username: "foo", Password: "bar"}}}), valid: true},
	"python_number_status_callback_event": {want: verbs(Dial{Nouns: []DialNoun{Number{PhoneNumber: "1231231234",
		StatusCallback: "http://example.com", StatusCallbackEvent: []CallEvent{CallInitiated, CallCompleted}}}}), valid: true},
	"python_add_client":       {want: verbs(Dial{Nouns: []DialNoun{Client{Identity: "alice"}}}), valid: true},
	"python_add_empty_client": {want: verbs(Dial{Nouns: []DialNoun{Client{}}})},
	"python_add_queue":        {want: verbs(Dial{Nouns: []DialNoun{Queue{Name: "The Cute Queue"}}}), valid: true},
	"python_sim":              {mention: `Dial: cannot hold "Sim"`},
	"python_leave":            {mention: `unknown verb "Leave"`},
	"python_text":             {mention: "Response: holds text"},
	"node_dial": {want: verbs(Dial{PhoneNumber: "+18584611234", HangupOnStar: true, Timeout: 5 * time.Second,
		Method: MethodGET, Trim: DoNotTrim}), valid: true},
	"node_nested_dial": {want: verbs(Dial{HangupOnStar: true, Nouns: []DialNoun{Sip{URI: "sip:url",
		Method: MethodGET, StatusCallback: "www.twilio.ca"}}}), valid: true},
	"node_enqueue": {want: verbs(Enqueue{Name: "foobar", Action: "www.twilio.com", Method: MethodGET}), valid: true},
	"node_gather": {want: verbs(Gather{Timeout: 5 * time.Second, FinishOnKey: "abcd",
		Verbs: []GatherVerb{Say{Text: "hello world!", Loop: 2}}})},
	"node_task": {want: verbs(Enqueue{Method: MethodPOST, Task: EnqueueTask{Body: "foo", Priority: 1, Timeout: 4 * time.Second}})},
	"node_multiple_verbs": {want: verbs(Dial{Timeout: 5 * time.Second, Nouns: []DialNoun{Number{PhoneNumber: "+11234567890"}}},
		Reject{}, Redirect{URL: "www.twilio.com"}, Pause{Length: 5 * time.Second}), valid: true},
	"node_status_callback_events": {mention: `Number: unknown attribute "statusCallbackEvents"`},
	"node_escaped_attribute": {want: verbs(Dial{Nouns: []DialNoun{Number{PhoneNumber: "+11234567890",
		StatusCallback: "https://example.com?action=getTwiml&param=dial"}}}), valid: true},
	"node_say_as":         {mention: `say-as: unknown attribute "role"`},
	"node_lang":           {want: verbs(Say{Content: []Speech{SSMLLang{Lang: "fr-FR", Content: []Speech{SSMLText("Bonjour!")}}}}), valid: true},
	"node_say_misspelt":   {mention: `Say: unknown attribute "lagnauge"`},
	"node_comment_before": {want: &Response{}, valid: true},
	"docs_gather":         {want: verbs(Gather{}), valid: true},
	"docs_polly_whispered": {want: verbs(Say{Voice: "Polly.Joanna", Content: []Speech{
		SSMLText(" When any voice is made to whisper, "),
		SSMLAmazonEffect{Name: EffectWhispered, Content: []Speech{
			SSMLText(" "),
			SSMLProsody{Rate: "-10%", Content: []Speech{SSMLText("the sound is slower and quieter than normal speech ")}},
		}},
		SSMLText(" "),
	}}), valid: true},
}

func verbs(v ...Verb) *Response { return &Response{Verbs: v} }

func TestTwilioCases(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "twilio", "*.xml"))
	if err != nil || len(paths) != len(twilioCases) {
		t.Fatalf("%d documents in testdata/twilio (%v), %d cases", len(paths), err, len(twilioCases))
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".xml")
		t.Run(name, func(t *testing.T) {
			tc, ok := twilioCases[name]
			if !ok {
				t.Fatal("no case for this document")
			}
			doc, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(doc, []byte("<!-- source: ")) {
				t.Error("document does not name its source")
			}
			got, err := Parse(doc)
			if tc.want == nil {
				if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tc.mention) {
					t.Fatalf("Parse = %v, want an error mentioning %q", err, tc.mention)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Parse =\n%#v\nwant\n%#v", got, tc.want)
			}
			if err := got.Validate(); (err == nil) != tc.valid {
				t.Errorf("Validate() = %v, want valid %v", err, tc.valid)
			}
			// What we write for the same verbs reads back the same.
			back, err := Parse(tc.want.AppendXML(nil))
			if err != nil || !reflect.DeepEqual(back, tc.want) {
				t.Errorf("render and parse = %#v, %v; want %#v", back, err, tc.want)
			}
		})
	}
}
