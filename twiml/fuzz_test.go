package twiml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// parseSeeds are hand-written documents that reach every branch of Parse.
var parseSeeds = []string{
	``,
	`<Response/>`,
	`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response>\n  <Say voice='alice' loop=\"0\">Hi &amp; bye&#xD;</Say>\n</Response>\n",
	`<Response><Gather input="dtmf speech" action="/a?b=1&amp;c=2" method="POST" timeout="5" numDigits="4" finishOnKey="" actionOnEmptyResult="true" speechTimeout="auto" language="en-US" hints="a, b" speechModel="phone_call" profanityFilter="false" partialResultCallback="/p" partialResultCallbackMethod="GET"><Say>a</Say><Play loop="2" digits="1w">u</Play><Pause length="3"/></Gather><Redirect method="GET">/r</Redirect><Hangup/><Reject reason="busy"/></Response>`,
	`<Response><Pause length="99999999999"/><Say loop="-1">x</Say></Response>`,
	`<Response><Say><![CDATA[<x>]]><!-- c --></Say></Response>`,
	`<Response><Gather><Redirect>/x</Redirect></Gather></Response>`,
	`<Response><Say>a<b/></Say></Response>`,
	`<!DOCTYPE x><Response/>`,
	`<Response><Dial/></Response>`,
	`<Response><Say a="1" a="2">x</Say></Response>`,
	`<Response xmlns:t="urn:x"><t:Say>a</t:Say></Response>`,
	"<Response><Say>\xff\x00</Say></Response>",
	`<Response><Play digits='"'>'</Play></Response>`,
	`<Response><Gather input="speech dtmf" maxSpeechTime="9" bargeIn="false" debug="true" enhanced="true"/></Response>`,
	`<Response><Say>a<break strength="weak" time="250ms"/><p><s><emphasis level="strong">b</emphasis></s></p>` +
		`<lang xml:lang="fr">c</lang><phoneme alphabet="ipa" ph="x">d</phoneme><prosody volume="+1dB" rate="90%" pitch="-2%">e</prosody>` +
		`<say-as interpret-as="date" format="ymd">f</say-as><sub alias="g">h</sub><w role="amazon:VB">i</w>` +
		`<amazon:effect name="whispered">j</amazon:effect><break time="3s"/></Say></Response>`,
	`<Response><Dial action="/a" timeout="10" recordingStatusCallbackEvent="in-progress  completed">+15005550006</Dial></Response>`,
	"<Response><Dial>\n<Number sendDigits=\"1w\" machineDetectionSilenceTimeout=\"99999999999999\">1</Number><Client>a</Client>" +
		`<Sip username="u">s</Sip></Dial><Dial><Conference waitUrl="" beep="onEnter">r</Conference></Dial>` +
		`<Dial><Queue url="/q">q</Queue></Dial></Response>`,
	`<Response><Enqueue waitUrl="/w">q</Enqueue><Enqueue workflowSid="WW1"> <Task priority="1" timeout="2">{}</Task></Enqueue></Response>`,
	`<Response><Dial>x<Number>1</Number>y</Dial><Enqueue>x<Task>t</Task></Enqueue></Response>`,
	`<Response><Say><break time="99999999999999999s"/><lang xml:lang="a" lang="b">x</lang></Say></Response>`,
}

func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add([]byte(s))
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, path := range golden {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !(errors.Is(err, ErrSyntax) || errors.Is(err, ErrTooLarge)) {
				t.Fatalf("Parse error %v (%T) is not an *Error matching ErrSyntax or ErrTooLarge", err, err)
			}
			return
		}
		_ = r.Validate()
		out := r.AppendXML(nil)
		if len(out) > MaxDocumentSize {
			return // escaping may lengthen a document past the limit
		}
		r2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(render(Parse(data))): %v\n%s", err, out)
		}
		if again := r2.AppendXML(nil); !bytes.Equal(again, out) {
			t.Fatalf("render not stable:\n%s\n%s", out, again)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add("Please enter your PIN.", "/e?step=getPin&x=1", 4, int64(10*time.Second), "#", uint8(0))
	f.Add("", "", 0, int64(0), "", uint8(0xff))
	f.Add("a\r\n\t<&>\"'", "\x00\xff", -1, int64(-1), "none", uint8(0x5a))
	f.Add("\uFFFE\uFFFD𝄞", "]]>", -7, int64(1500*time.Millisecond), "*", uint8(0x81))
	f.Add("x", "y", 1<<40, int64(1<<62), "\"", uint8(3))
	f.Fuzz(func(t *testing.T, text, url string, n int, d int64, key string, flags uint8) {
		r := fuzzResponse(text, url, n, time.Duration(d), key, flags)
		out := r.AppendXML(nil)
		if len(out) > MaxDocumentSize {
			return
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(render): %v\n%s", err, out)
		}
		if again := back.AppendXML(nil); !bytes.Equal(again, out) {
			t.Fatalf("render, parse, render differs:\n%s\n%s", out, again)
		}
		if validXML(text) {
			say := back.Verbs[0].(Gather).Verbs[0].(Say)
			if say.Text != text {
				t.Fatalf("Say text %q read back as %q", text, say.Text)
			}
		}
	})
}

// fuzzResponse builds a response using every verb and attribute from a few
// fuzzed values.
func fuzzResponse(text, url string, n int, d time.Duration, key string, flags uint8) *Response {
	methods := []Method{"", MethodGET, MethodPOST, Method(url)}
	m := methods[flags&3]
	return &Response{Verbs: []Verb{
		Gather{
			Input:                       Input(key),
			Action:                      url,
			Method:                      m,
			Timeout:                     d,
			NumDigits:                   n,
			FinishOnKey:                 FinishOnKey(key),
			ActionOnEmptyResult:         flags&4 != 0,
			SpeechTimeout:               d,
			Language:                    text,
			Hints:                       url,
			SpeechModel:                 key,
			ProfanityFilter:             Toggle(flags>>3) % 3,
			PartialResultCallback:       url,
			PartialResultCallbackMethod: m,
			Verbs: []GatherVerb{
				Say{Text: text, Voice: key, Language: url, Loop: n},
				Play{URL: url, Loop: n, Digits: key},
				Pause{Length: d},
			},
		},
		Say{Text: url, Loop: n, Content: []Speech{
			SSMLText(text),
			SSMLBreak{Strength: BreakStrength(key), Time: d},
			SSMLP{Content: []Speech{SSMLS{Content: []Speech{SSMLEmphasis{Level: EmphasisLevel(key), Content: []Speech{SSMLText(url)}}}}}},
			SSMLLang{Lang: key, Content: []Speech{SSMLProsody{Volume: text, Rate: url, Pitch: key}}},
			SSMLPhoneme{Alphabet: PhonemeAlphabet(key), Ph: url, Text: text},
			SSMLSayAs{InterpretAs: InterpretAs(key), Format: DateFormat(url), Text: text},
			SSMLSub{Alias: url, Text: text},
			SSMLW{Role: WordRole(key), Text: text},
			SSMLAmazonEffect{Name: AmazonEffect(key), Content: []Speech{SSMLText(key)}},
		}},
		Redirect{URL: url, Method: m},
		Hangup{},
		Reject{Reason: RejectReason(text)},
		Dial{
			Action: url, Method: m, Timeout: d, HangupOnStar: flags&4 != 0, TimeLimit: d, CallerID: key,
			Record: DialRecord(key), Trim: Trim(key), RecordingStatusCallback: url, RecordingStatusCallbackMethod: m,
			RecordingStatusCallbackEvent: []RecordingEvent{RecordingEvent(key)}, AnswerOnBridge: flags&4 != 0,
			RingTone: key, RecordingTrack: RecordingTrack(key), Sequential: flags&4 != 0, ReferURL: url, ReferMethod: m,
			Nouns: []DialNoun{
				Number{PhoneNumber: text, SendDigits: key, URL: url, Method: m, StatusCallbackEvent: []CallEvent{CallEvent(key)},
					StatusCallback: url, StatusCallbackMethod: m, BYOC: key, MachineDetection: MachineDetect(key),
					AMDStatusCallback: url, AMDStatusCallbackMethod: m, MachineDetectionTimeout: d,
					MachineDetectionSpeechThreshold: d, MachineDetectionSpeechEndThreshold: d, MachineDetectionSilenceTimeout: d},
				Client{Identity: text, URL: url, Method: m, StatusCallback: url, StatusCallbackMethod: m},
				Sip{URI: text, Username: key, Password: url, URL: url, Method: m},
				Conference{Name: text, Muted: flags&4 != 0, Beep: Beep(key), StartConferenceOnEnter: Toggle(flags>>3) % 3,
					EndConferenceOnExit: flags&4 != 0, WaitURL: url, SilentWait: url == "" && flags&4 != 0, WaitMethod: m,
					MaxParticipants: n, Record: ConferenceRecord(key), Region: key, Coach: key, Trim: Trim(key),
					StatusCallbackEvent: []ConferenceEvent{ConferenceEvent(key)}, StatusCallback: url, StatusCallbackMethod: m,
					RecordingStatusCallback: url, RecordingStatusCallbackMethod: m, EventCallbackURL: url,
					JitterBufferSize: JitterBufferSize(key), ParticipantLabel: text},
				Queue{Name: text, URL: url, Method: m, ReservationSid: key, PostWorkActivitySid: key},
			},
		},
		Enqueue{Action: url, MaxQueueSize: n, Method: m, WaitURL: url, WaitURLMethod: m, WorkflowSid: key,
			Task: EnqueueTask{Body: text, Priority: n, Timeout: d}},
	}}
}
