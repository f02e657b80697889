package twiml

import (
	"reflect"
	"testing"
	"time"

	tg "github.com/twilio/twilio-go/twiml"
)

// getPinTwilioGo is the same response built with twilio-go's twiml package.
func getPinTwilioGo() []tg.Element {
	return []tg.Element{&tg.VoiceGather{
		Action: getPinAction, Method: "POST", Input: "dtmf", Timeout: "10", NumDigits: "4",
		InnerElements: []tg.Element{&tg.VoiceSay{Message: "Please enter your unique 4 digit identification number"}},
	}}
}

// TestSameAsTwilioGo builds the same content with twilio-go and with this
// package and checks that both documents parse to the same verbs and
// attributes: the two agree on what the TwiML means.
func TestSameAsTwilioGo(t *testing.T) {
	tests := []struct {
		name string
		ours *Response
		them []tg.Element
	}{
		{"tutorial getPin", getPin(), getPinTwilioGo()},
		{"every verb", &Response{Verbs: []Verb{
			Say{Text: `Tom & "Jerry" <3`, Voice: "alice", Language: "en-GB", Loop: 2},
			Play{URL: "https://cdn.example.com/a.mp3?x=1&y=2", Loop: 3},
			Play{Digits: "1w2"},
			Pause{Length: 2 * time.Second},
			Gather{Input: InputDTMFSpeech, Action: "/next", Method: MethodGET, Timeout: 7 * time.Second,
				FinishOnKey: "*", ActionOnEmptyResult: true, SpeechTimeout: SpeechTimeoutAuto,
				Language: "en-US", Hints: "card, pin", SpeechModel: "phone_call",
				PartialResultCallback: "/partial", PartialResultCallbackMethod: MethodPOST,
				Verbs: []GatherVerb{Say{Text: "Speak or type."}, Pause{Length: time.Second}}},
			Redirect{URL: "/again", Method: MethodPOST},
			Hangup{},
		}}, []tg.Element{
			&tg.VoiceSay{Message: `Tom & "Jerry" <3`, Voice: "alice", Language: "en-GB", Loop: "2"},
			&tg.VoicePlay{Url: "https://cdn.example.com/a.mp3?x=1&y=2", Loop: "3"},
			&tg.VoicePlay{Digits: "1w2"},
			&tg.VoicePause{Length: "2"},
			&tg.VoiceGather{Input: "dtmf speech", Action: "/next", Method: "GET", Timeout: "7",
				FinishOnKey: "*", ActionOnEmptyResult: "true", SpeechTimeout: "auto",
				Language: "en-US", Hints: "card, pin", SpeechModel: "phone_call",
				PartialResultCallback: "/partial", PartialResultCallbackMethod: "POST",
				InnerElements: []tg.Element{&tg.VoiceSay{Message: "Speak or type."}, &tg.VoicePause{Length: "1"}}},
			&tg.VoiceRedirect{Url: "/again", Method: "POST"},
			&tg.VoiceHangup{},
		}},
		{"reject", &Response{Verbs: []Verb{Reject{Reason: RejectBusy}}}, []tg.Element{&tg.VoiceReject{Reason: "busy"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := tg.Voice(tt.them)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := Parse([]byte(doc))
			if err != nil {
				t.Fatalf("Parse of twilio-go's document: %v\n%s", err, doc)
			}
			ours, err := Parse(tt.ours.AppendXML(nil))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ours, theirs) {
				t.Fatalf("documents differ:\nours:   %s\ntheirs: %s", tt.ours.String(), doc)
			}
		})
	}
}
