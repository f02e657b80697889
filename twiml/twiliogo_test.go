package twiml

import (
	"errors"
	"reflect"
	"strings"
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
		{"gather speech attributes", &Response{Verbs: []Verb{Gather{Input: InputSpeechDTMF, MaxSpeechTime: 30 * time.Second,
			BargeIn: ToggleOff, Debug: true, Enhanced: true, SpeechModel: "phone_call"}}},
			[]tg.Element{&tg.VoiceGather{Input: "speech dtmf", MaxSpeechTime: "30", BargeIn: "false", Debug: "true",
				Enhanced: "true", SpeechModel: "phone_call"}}},
		{"dial number", &Response{Verbs: []Verb{Dial{
			Action: "/done", Method: MethodGET, Timeout: 20 * time.Second, HangupOnStar: true, TimeLimit: time.Hour,
			CallerID: "+15005550001", Record: DialRecordFromAnswerDual, Trim: TrimSilence,
			RecordingStatusCallback: "/rec", RecordingStatusCallbackMethod: MethodPOST,
			RecordingStatusCallbackEvent: []RecordingEvent{RecordingInProgress, RecordingCompleted},
			AnswerOnBridge:               true, RingTone: "uk", RecordingTrack: TrackBoth, Sequential: true,
			ReferURL: "/refer", ReferMethod: MethodPOST, PhoneNumber: "+15005550006",
		}}}, []tg.Element{&tg.VoiceDial{
			Action: "/done", Method: "GET", Timeout: "20", HangupOnStar: "true", TimeLimit: "3600",
			CallerId: "+15005550001", Record: "record-from-answer-dual", Trim: "trim-silence",
			RecordingStatusCallback: "/rec", RecordingStatusCallbackMethod: "POST",
			RecordingStatusCallbackEvent: "in-progress completed",
			AnswerOnBridge:               "true", RingTone: "uk", RecordingTrack: "both", Sequential: "true",
			ReferUrl: "/refer", ReferMethod: "POST", Number: "+15005550006",
		}}},
		{"dial nouns", &Response{Verbs: []Verb{Dial{Nouns: []DialNoun{
			Number{PhoneNumber: "+15005550006", SendDigits: "ww12", URL: "/whisper", Method: MethodGET,
				StatusCallbackEvent: []CallEvent{CallInitiated, CallAnswered}, StatusCallback: "/status",
				StatusCallbackMethod: MethodPOST, BYOC: "BY1", MachineDetection: DetectEnable,
				AMDStatusCallback: "/amd", AMDStatusCallbackMethod: MethodGET, MachineDetectionTimeout: 15 * time.Second,
				MachineDetectionSpeechThreshold: 2400 * time.Millisecond, MachineDetectionSpeechEndThreshold: 1200 * time.Millisecond,
				MachineDetectionSilenceTimeout: 5 * time.Second},
			Client{Identity: "agent", URL: "/c", Method: MethodGET, StatusCallbackEvent: []CallEvent{CallRinging},
				StatusCallback: "/s", StatusCallbackMethod: MethodGET},
			Sip{URI: "sip:a@example.com", Username: "u", Password: "p", URL: "/sip", Method: MethodPOST,
				StatusCallbackEvent: []CallEvent{CallCompleted}, StatusCallback: "/s", StatusCallbackMethod: MethodPOST},
		}}}}, []tg.Element{&tg.VoiceDial{InnerElements: []tg.Element{
			&tg.VoiceNumber{PhoneNumber: "+15005550006", SendDigits: "ww12", Url: "/whisper", Method: "GET",
				StatusCallbackEvent: "initiated answered", StatusCallback: "/status", StatusCallbackMethod: "POST",
				Byoc: "BY1", MachineDetection: "Enable", AmdStatusCallback: "/amd", AmdStatusCallbackMethod: "GET",
				MachineDetectionTimeout: "15", MachineDetectionSpeechThreshold: "2400",
				MachineDetectionSpeechEndThreshold: "1200", MachineDetectionSilenceTimeout: "5000"},
			&tg.VoiceClient{Identity: "agent", Url: "/c", Method: "GET", StatusCallbackEvent: "ringing",
				StatusCallback: "/s", StatusCallbackMethod: "GET"},
			&tg.VoiceSip{SipUrl: "sip:a@example.com", Username: "u", Password: "p", Url: "/sip", Method: "POST",
				StatusCallbackEvent: "completed", StatusCallback: "/s", StatusCallbackMethod: "POST"},
		}}}},
		{"dial conference", &Response{Verbs: []Verb{Dial{Nouns: []DialNoun{Conference{
			Name: "Room", Muted: true, Beep: BeepOnExit, StartConferenceOnEnter: ToggleOff, EndConferenceOnExit: true,
			WaitURL: "/wait", WaitMethod: MethodGET, MaxParticipants: 12, Record: ConferenceRecordFromStart,
			Region: "ie1", Coach: "CA1", Trim: DoNotTrim,
			StatusCallbackEvent: []ConferenceEvent{ConferenceStart, ConferenceEnd}, StatusCallback: "/conf",
			StatusCallbackMethod: MethodGET, RecordingStatusCallback: "/rec", RecordingStatusCallbackMethod: MethodPOST,
			RecordingStatusCallbackEvent: []RecordingEvent{RecordingCompleted}, EventCallbackURL: "/events",
			JitterBufferSize: JitterBufferMedium, ParticipantLabel: "customer",
		}}}}}, []tg.Element{&tg.VoiceDial{InnerElements: []tg.Element{&tg.VoiceConference{
			Name: "Room", Muted: "true", Beep: "onExit", StartConferenceOnEnter: "false", EndConferenceOnExit: "true",
			WaitUrl: "/wait", WaitMethod: "GET", MaxParticipants: "12", Record: "record-from-start",
			Region: "ie1", Coach: "CA1", Trim: "do-not-trim",
			StatusCallbackEvent: "start end", StatusCallback: "/conf",
			StatusCallbackMethod: "GET", RecordingStatusCallback: "/rec", RecordingStatusCallbackMethod: "POST",
			RecordingStatusCallbackEvent: "completed", EventCallbackUrl: "/events",
			JitterBufferSize: "medium", ParticipantLabel: "customer",
		}}}}},
		{"dial queue", &Response{Verbs: []Verb{Dial{Nouns: []DialNoun{Queue{Name: "support", URL: "/q",
			Method: MethodGET, ReservationSid: "WR1", PostWorkActivitySid: "WA1"}}}}},
			[]tg.Element{&tg.VoiceDial{InnerElements: []tg.Element{&tg.VoiceQueue{Name: "support", Url: "/q",
				Method: "GET", ReservationSid: "WR1", PostWorkActivitySid: "WA1"}}}}},
		{"enqueue", &Response{Verbs: []Verb{Enqueue{Name: "support", Action: "/left", MaxQueueSize: 50,
			Method: MethodGET, WaitURL: "/wait", WaitURLMethod: MethodPOST}}},
			[]tg.Element{&tg.VoiceEnqueue{Name: "support", Action: "/left", MaxQueueSize: "50",
				Method: "GET", WaitUrl: "/wait", WaitUrlMethod: "POST"}}},
		{"enqueue task", &Response{Verbs: []Verb{Enqueue{WorkflowSid: "WW1",
			Task: EnqueueTask{Body: `{"skill":"billing"}`, Priority: 5, Timeout: 200 * time.Second}}}},
			[]tg.Element{&tg.VoiceEnqueue{WorkflowSid: "WW1", InnerElements: []tg.Element{
				&tg.VoiceTask{Body: `{"skill":"billing"}`, Priority: "5", Timeout: "200"}}}}},
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

// TestTwilioGoSSMLNames records that twilio-go (v1.31.0) writes SSML with
// Go-cased names (<Break>, <SayAs interpretAs>, <Lang xmlLang>), which are
// not the SSML names Twilio reads (<break>, <say-as interpret-as>,
// <lang xml:lang>, as twilio-python and twilio-node write them; see
// testdata/twilio). Parse refuses such a document, naming the element.
func TestTwilioGoSSMLNames(t *testing.T) {
	doc, err := tg.Voice([]tg.Element{&tg.VoiceSay{Message: "Hi", InnerElements: []tg.Element{
		&tg.VoiceBreak{Time: "100ms"},
		&tg.VoiceSayAs{InterpretAs: "spell-out", Words: "IVR"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse([]byte(doc))
	if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), `Say: cannot hold "Break"`) {
		t.Fatalf("Parse(%s) = %v, want an error naming Break", doc, err)
	}
	ours := (&Response{Verbs: []Verb{Say{Text: "Hi", Content: []Speech{
		SSMLBreak{Time: 100 * time.Millisecond},
		SSMLSayAs{InterpretAs: InterpretAsSpellOut, Text: "IVR"},
	}}}}).String()
	if want := `<Say>Hi<break time="100ms"/><say-as interpret-as="spell-out">IVR</say-as></Say>`; !strings.Contains(ours, want) {
		t.Errorf("we write %s, want it to hold %s", ours, want)
	}
}
