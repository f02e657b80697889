package twiml

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestValidateValid(t *testing.T) {
	tests := []struct {
		name string
		r    *Response
	}{
		{"empty", &Response{}},
		{"tutorial getPin", getPin()},
		{"zero values", &Response{Verbs: []Verb{Gather{}, Pause{}, Hangup{}, Reject{}, Play{Digits: "1"}}}},
		{"loop forever", &Response{Verbs: []Verb{Say{Text: "a", Loop: LoopForever}, Play{URL: "u", Loop: LoopForever}}}},
		{"no finish key", &Response{Verbs: []Verb{Gather{FinishOnKey: NoFinishOnKey}}}},
		{"speech timeout auto", &Response{Verbs: []Verb{Gather{SpeechTimeout: SpeechTimeoutAuto}}}},
		{"fractional seconds round up", &Response{Verbs: []Verb{Gather{Timeout: 1500 * time.Millisecond}}}},
		{"say at the limit", &Response{Verbs: []Verb{Say{Text: strings.Repeat("é", MaxSayLength)}}}},
		{"say ssml at the limit", &Response{Verbs: []Verb{Say{Text: "a", Content: []Speech{
			SSMLS{Content: []Speech{SSMLText(strings.Repeat("b", MaxSayLength-1))}}, SSMLBreak{Time: MaxBreak}}}}}},
		{"speech dtmf either order", &Response{Verbs: []Verb{Gather{Input: InputSpeechDTMF}, Gather{Input: InputDTMFSpeech}}}},
		{"every ssml element", &Response{Verbs: []Verb{sayEverySSML()}}},
		{"prosody numbers", &Response{Verbs: []Verb{Say{Content: []Speech{
			SSMLProsody{Volume: "+1.5dB", Rate: "20%", Pitch: "-3%"}, SSMLProsody{Volume: "6dB", Rate: "-10%", Pitch: "5.5%"}, SSMLProsody{Volume: "x-loud", Rate: "x-fast", Pitch: "default"}}}}}},
		{"dial", &Response{Verbs: []Verb{Dial{PhoneNumber: "+15005550006", Timeout: 5 * time.Second, TimeLimit: 24 * time.Hour}}}},
		{"dial ten nouns", &Response{Verbs: []Verb{Dial{Nouns: make11Numbers()[:MaxDialNouns]}}}},
		{"dial conference alone", &Response{Verbs: []Verb{Dial{Nouns: []DialNoun{Conference{Name: "r", SilentWait: true, MaxParticipants: 2}}}}}},
		{"enqueue task", &Response{Verbs: []Verb{Enqueue{WorkflowSid: "WW1", Task: EnqueueTask{Body: "{}", Priority: 3}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.r.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name string
		verb Verb
		// wantVerb and wantAttr name the reported problem.
		wantVerb, wantAttr string
	}{
		{"nil verb", nil, "Response", ""},
		{"nil pointer", (*Say)(nil), "Response", ""},
		{"pointer", &Say{Text: "a"}, "Response", ""},
		{"gather nested pointer", Gather{Verbs: []GatherVerb{&Pause{}}}, "Gather", ""},
		{"say empty", Say{}, "Say", ""},
		{"say too long", Say{Text: strings.Repeat("a", MaxSayLength+1)}, "Say", ""},
		{"say control character", Say{Text: "a\x00"}, "Say", ""},
		{"say invalid utf-8", Say{Text: "a\xff"}, "Say", ""},
		{"say negative loop", Say{Text: "a", Loop: -2}, "Say", "loop"},
		{"say voice", Say{Text: "a", Voice: "\x01"}, "Say", "voice"},
		{"play nothing", Play{}, "Play", ""},
		{"play negative loop", Play{URL: "u", Loop: -5}, "Play", "loop"},
		{"play digits", Play{Digits: "12a"}, "Play", "digits"},
		{"pause negative", Pause{Length: -time.Second}, "Pause", "length"},
		{"pause under a second", Pause{Length: time.Millisecond}, "Pause", "length"},
		{"gather input", Gather{Input: "touch"}, "Gather", "input"},
		{"gather method", Gather{Method: "PUT"}, "Gather", "method"},
		{"gather lower-case method", Gather{Method: "post"}, "Gather", "method"},
		{"gather timeout under a second", Gather{Timeout: 500 * time.Millisecond}, "Gather", "timeout"},
		{"gather negative timeout", Gather{Timeout: -time.Second}, "Gather", "timeout"},
		{"gather numDigits", Gather{NumDigits: -1}, "Gather", "numDigits"},
		{"gather finishOnKey two keys", Gather{FinishOnKey: "#*"}, "Gather", "finishOnKey"},
		{"gather finishOnKey letter", Gather{FinishOnKey: "a"}, "Gather", "finishOnKey"},
		{"gather speechTimeout", Gather{SpeechTimeout: -2 * time.Second}, "Gather", "speechTimeout"},
		{"gather profanityFilter", Gather{ProfanityFilter: 3}, "Gather", "profanityFilter"},
		{"gather callback method", Gather{PartialResultCallbackMethod: "PATCH"}, "Gather", "partialResultCallbackMethod"},
		{"gather action", Gather{Action: "/a\x7f\x00"}, "Gather", "action"},
		{"gather nested", Gather{Verbs: []GatherVerb{Say{}}}, "Say", ""},
		{"gather nested nil", Gather{Verbs: []GatherVerb{nil}}, "Gather", ""},
		{"redirect empty", Redirect{}, "Redirect", ""},
		{"redirect method", Redirect{URL: "/a", Method: "DELETE"}, "Redirect", "method"},
		{"gather maxSpeechTime", Gather{MaxSpeechTime: time.Millisecond}, "Gather", "maxSpeechTime"},
		{"gather bargeIn", Gather{BargeIn: 7}, "Gather", "bargeIn"},
		{"say empty content", Say{Content: []Speech{SSMLText("a\x00")}}, "Say", ""},
		{"say content too long", Say{Text: "a", Content: []Speech{SSMLP{Content: []Speech{SSMLText(strings.Repeat("b", MaxSayLength))}}}}, "Say", ""},
		{"say nil content", Say{Content: []Speech{nil}}, "Say", ""},
		{"break strength", Say{Content: []Speech{SSMLBreak{Strength: "loud"}}}, "break", "strength"},
		{"break too long", Say{Content: []Speech{SSMLBreak{Time: 11 * time.Second}}}, "break", "time"},
		{"break negative", Say{Content: []Speech{SSMLBreak{Time: -time.Second}}}, "break", "time"},
		{"emphasis level", Say{Content: []Speech{SSMLEmphasis{Level: "huge"}}}, "emphasis", "level"},
		{"lang missing", Say{Content: []Speech{SSMLLang{Content: []Speech{SSMLText("x")}}}}, "lang", "xml:lang"},
		{"phoneme alphabet", Say{Content: []Speech{SSMLPhoneme{Alphabet: "latin", Ph: "x", Text: "y"}}}, "phoneme", "alphabet"},
		{"phoneme ph missing", Say{Content: []Speech{SSMLPhoneme{Text: "y"}}}, "phoneme", "ph"},
		{"prosody volume", Say{Content: []Speech{SSMLProsody{Volume: "6db"}}}, "prosody", "volume"},
		{"prosody rate", Say{Content: []Speech{SSMLProsody{Rate: "85"}}}, "prosody", "rate"},
		{"prosody pitch", Say{Content: []Speech{SSMLProsody{Pitch: "-10.%"}}}, "prosody", "pitch"},
		{"say-as missing", Say{Content: []Speech{SSMLSayAs{Text: "1"}}}, "say-as", "interpret-as"},
		{"say-as kind", Say{Content: []Speech{SSMLSayAs{InterpretAs: "roman", Text: "1"}}}, "say-as", "interpret-as"},
		{"say-as format without date", Say{Content: []Speech{SSMLSayAs{InterpretAs: InterpretAsDigits, Format: DateDMY, Text: "1"}}}, "say-as", "format"},
		{"sub alias missing", Say{Content: []Speech{SSMLSub{Text: "IVR"}}}, "sub", "alias"},
		{"w role", Say{Content: []Speech{SSMLW{Role: "amazon:XX", Text: "read"}}}, "w", "role"},
		{"effect missing", Say{Content: []Speech{SSMLAmazonEffect{}}}, "amazon:effect", "name"},
		{"effect name", Say{Content: []Speech{SSMLAmazonEffect{Name: "echo"}}}, "amazon:effect", "name"},
		{"ssml leaf text", Say{Content: []Speech{SSMLW{Text: "\x01"}}}, "w", ""},
		{"dial nothing", Dial{}, "Dial", ""},
		{"dial number and nouns", Dial{PhoneNumber: "1", Nouns: []DialNoun{Client{Identity: "a"}}}, "Dial", ""},
		{"dial too many nouns", Dial{Nouns: make11Numbers()}, "Dial", ""},
		{"dial conference with others", Dial{Nouns: []DialNoun{Conference{Name: "r"}, Client{Identity: "a"}}}, "Dial", ""},
		{"dial queue with others", Dial{Nouns: []DialNoun{Number{PhoneNumber: "1"}, Queue{Name: "q"}}}, "Dial", ""},
		{"dial nil noun", Dial{Nouns: []DialNoun{nil}}, "Dial", ""},
		{"dial pointer noun", Dial{Nouns: []DialNoun{&Client{Identity: "a"}}}, "Dial", ""},
		{"dial timeout short", Dial{PhoneNumber: "1", Timeout: 4 * time.Second}, "Dial", "timeout"},
		{"dial timeout long", Dial{PhoneNumber: "1", Timeout: 601 * time.Second}, "Dial", "timeout"},
		{"dial timeLimit", Dial{PhoneNumber: "1", TimeLimit: 25 * time.Hour}, "Dial", "timeLimit"},
		{"dial record", Dial{PhoneNumber: "1", Record: "true"}, "Dial", "record"},
		{"dial trim", Dial{PhoneNumber: "1", Trim: "yes"}, "Dial", "trim"},
		{"dial recording event", Dial{PhoneNumber: "1", RecordingStatusCallbackEvent: []RecordingEvent{"done"}}, "Dial", "recordingStatusCallbackEvent"},
		{"dial empty recording event", Dial{PhoneNumber: "1", RecordingStatusCallbackEvent: []RecordingEvent{""}}, "Dial", "recordingStatusCallbackEvent"},
		{"dial recording track", Dial{PhoneNumber: "1", RecordingTrack: "left"}, "Dial", "recordingTrack"},
		{"dial method", Dial{PhoneNumber: "1", Method: "PUT"}, "Dial", "method"},
		{"dial refer method", Dial{PhoneNumber: "1", ReferMethod: "get"}, "Dial", "referMethod"},
		{"dial phone number", Dial{PhoneNumber: "1\x00"}, "Dial", ""},
		{"number empty", Dial{Nouns: []DialNoun{Number{}}}, "Number", ""},
		{"number send digits", Dial{Nouns: []DialNoun{Number{PhoneNumber: "1", SendDigits: "12x"}}}, "Number", "sendDigits"},
		{"number event", Dial{Nouns: []DialNoun{Number{PhoneNumber: "1", StatusCallbackEvent: []CallEvent{"busy"}}}}, "Number", "statusCallbackEvent"},
		{"number machine detection", Dial{Nouns: []DialNoun{Number{PhoneNumber: "1", MachineDetection: "enable"}}}, "Number", "machineDetection"},
		{"number amd timeout", Dial{Nouns: []DialNoun{Number{PhoneNumber: "1", MachineDetectionTimeout: -time.Second}}}, "Number", "machineDetectionTimeout"},
		{"number silence timeout", Dial{Nouns: []DialNoun{Number{PhoneNumber: "1", MachineDetectionSilenceTimeout: -1}}}, "Number", "machineDetectionSilenceTimeout"},
		{"client empty", Dial{Nouns: []DialNoun{Client{}}}, "Client", ""},
		{"client method", Dial{Nouns: []DialNoun{Client{Identity: "a", StatusCallbackMethod: "PUT"}}}, "Client", "statusCallbackMethod"},
		{"sip empty", Dial{Nouns: []DialNoun{Sip{}}}, "Sip", ""},
		{"sip password", Dial{Nouns: []DialNoun{Sip{URI: "sip:a@b", Password: "\x00"}}}, "Sip", "password"},
		{"conference empty", Dial{Nouns: []DialNoun{Conference{}}}, "Conference", ""},
		{"conference beep", Dial{Nouns: []DialNoun{Conference{Name: "r", Beep: "loud"}}}, "Conference", "beep"},
		{"conference wait", Dial{Nouns: []DialNoun{Conference{Name: "r", WaitURL: "/w", SilentWait: true}}}, "Conference", "waitUrl"},
		{"conference participants", Dial{Nouns: []DialNoun{Conference{Name: "r", MaxParticipants: 251}}}, "Conference", "maxParticipants"},
		{"conference record", Dial{Nouns: []DialNoun{Conference{Name: "r", Record: "record-from-answer"}}}, "Conference", "record"},
		{"conference event", Dial{Nouns: []DialNoun{Conference{Name: "r", StatusCallbackEvent: []ConferenceEvent{"ringing"}}}}, "Conference", "statusCallbackEvent"},
		{"conference jitter", Dial{Nouns: []DialNoun{Conference{Name: "r", JitterBufferSize: "huge"}}}, "Conference", "jitterBufferSize"},
		{"conference toggle", Dial{Nouns: []DialNoun{Conference{Name: "r", StartConferenceOnEnter: 9}}}, "Conference", "startConferenceOnEnter"},
		{"queue empty", Dial{Nouns: []DialNoun{Queue{}}}, "Queue", ""},
		{"queue method", Dial{Nouns: []DialNoun{Queue{Name: "q", Method: "HEAD"}}}, "Queue", "method"},
		{"enqueue nothing", Enqueue{}, "Enqueue", ""},
		{"enqueue name and task", Enqueue{Name: "q", WorkflowSid: "WW1", Task: EnqueueTask{Body: "{}"}}, "Enqueue", ""},
		{"enqueue task without body", Enqueue{WorkflowSid: "WW1", Task: EnqueueTask{Priority: 1}}, "Task", ""},
		{"enqueue task without workflow", Enqueue{Task: EnqueueTask{Body: "{}"}}, "Enqueue", "workflowSid"},
		{"enqueue queue size", Enqueue{Name: "q", MaxQueueSize: 5001}, "Enqueue", "maxQueueSize"},
		{"enqueue wait method", Enqueue{Name: "q", WaitURLMethod: "put"}, "Enqueue", "waitUrlMethod"},
		{"task priority", Enqueue{WorkflowSid: "WW1", Task: EnqueueTask{Body: "{}", Priority: -1}}, "Task", "priority"},
		{"task timeout", Enqueue{WorkflowSid: "WW1", Task: EnqueueTask{Body: "{}", Timeout: time.Millisecond}}, "Task", "timeout"},
		{"reject reason", Reject{Reason: "nope"}, "Reject", "reason"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := (&Response{Verbs: []Verb{tc.verb}}).Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error matching ErrInvalid", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate() = %v, want an *Error", err)
			}
			if e.Verb != tc.wantVerb || e.Attr != tc.wantAttr {
				t.Errorf("error names %q %q, want %q %q (%v)", e.Verb, e.Attr, tc.wantVerb, tc.wantAttr, err)
			}
			if !strings.HasPrefix(err.Error(), "twiml: ") {
				t.Errorf("message %q lacks the package prefix", err)
			}
		})
	}
}

func make11Numbers() []DialNoun {
	nouns := make([]DialNoun, MaxDialNouns+1)
	for i := range nouns {
		nouns[i] = Number{PhoneNumber: "+1500555000" + strconv.Itoa(i%10)}
	}
	return nouns
}

func TestValidateReportsAll(t *testing.T) {
	r := &Response{Verbs: []Verb{
		Gather{NumDigits: -1, Timeout: time.Millisecond},
		Redirect{},
	}}
	err := r.Validate()
	msg := err.Error()
	for _, want := range []string{"Gather numDigits", "Gather timeout", "Redirect: URL is empty"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}

func TestValidateNeverQuotesText(t *testing.T) {
	secret := "4321"
	r := &Response{Verbs: []Verb{
		Say{Text: secret + "\x00", Voice: secret + "\x01"},
		Play{Digits: secret + "x"},
		Redirect{URL: "/" + secret + "\x02"},
	}}
	err := r.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want errors")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q quotes a value", err)
	}
}

func TestValidateNilResponse(t *testing.T) {
	var r *Response
	if err := r.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Validate() on nil = %v, want ErrInvalid", err)
	}
}
