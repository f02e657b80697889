package twiml

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want *Response
	}{
		{"empty self-closing", `<Response/>`, &Response{}},
		{"empty with declaration", `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`, &Response{}},
		{"hand-written", `<?xml version="1.0" encoding="UTF-8"?>
<!-- the first step -->
<Response>
  <Gather action="/e?step=getPin&amp;x=1" method='POST' input="dtmf" timeout="10" numDigits="4">
    <Say>Please enter last 4 digits of your payment card number.</Say>
  </Gather>
  <Redirect>/e?silence=1</Redirect>
</Response>
`, &Response{Verbs: []Verb{
			Gather{
				Action: "/e?step=getPin&x=1", Method: MethodPOST, Input: InputDTMF,
				Timeout: 10 * time.Second, NumDigits: 4,
				Verbs: []GatherVerb{Say{Text: "Please enter last 4 digits of your payment card number."}},
			},
			Redirect{URL: "/e?silence=1"},
		}}},
		{"every gather attribute", `<Response><Gather input="speech" action="/a" method="GET" timeout="3"
			numDigits="2" finishOnKey="*" actionOnEmptyResult="true" speechTimeout="4" language="de-DE"
			hints="a, b" speechModel="phone_call" profanityFilter="false" partialResultCallback="/p"
			partialResultCallbackMethod="GET"/></Response>`,
			&Response{Verbs: []Verb{Gather{
				Input: InputSpeech, Action: "/a", Method: MethodGET, Timeout: 3 * time.Second,
				NumDigits: 2, FinishOnKey: "*", ActionOnEmptyResult: true, SpeechTimeout: 4 * time.Second,
				Language: "de-DE", Hints: "a, b", SpeechModel: "phone_call", ProfanityFilter: ToggleOff,
				PartialResultCallback: "/p", PartialResultCallbackMethod: MethodGET,
			}}}},
		{"special values", `<Response><Gather finishOnKey="" speechTimeout="auto" profanityFilter="true">` +
			`<Say loop="0">a</Say><Play loop="0">b</Play></Gather></Response>`,
			&Response{Verbs: []Verb{Gather{
				FinishOnKey: NoFinishOnKey, SpeechTimeout: SpeechTimeoutAuto, ProfanityFilter: ToggleOn,
				Verbs: []GatherVerb{Say{Text: "a", Loop: LoopForever}, Play{URL: "b", Loop: LoopForever}},
			}}}},
		{"every verb", `<Response><Say voice="alice" language="en-US" loop="2">Hi</Say>` +
			`<Play digits="1w2">https://example.com/a.mp3</Play><Pause length="2"></Pause>` +
			`<Hangup></Hangup><Reject reason="busy"/><Redirect method="GET">/r</Redirect></Response>`,
			&Response{Verbs: []Verb{
				Say{Text: "Hi", Voice: "alice", Language: "en-US", Loop: 2},
				Play{URL: "https://example.com/a.mp3", Digits: "1w2"},
				Pause{Length: 2 * time.Second},
				Hangup{},
				Reject{Reason: RejectBusy},
				Redirect{URL: "/r", Method: MethodGET},
			}}},
		{"entities and references", `<Response><Say>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</Say></Response>`,
			&Response{Verbs: []Verb{Say{Text: `<>&"'AB`}}}},
		{"cdata and comments in text", `<Response><Say>a<!-- c --><![CDATA[<b>]]></Say></Response>`,
			&Response{Verbs: []Verb{Say{Text: "a<b>"}}}},
		{"text kept exactly", "<Response><Say>\n  Hello  \n</Say></Response>",
			&Response{Verbs: []Verb{Say{Text: "\n  Hello  \n"}}}},
		{"explicit zeros", `<Response><Gather numDigits="0" timeout="0"/><Pause length="0"/></Response>`,
			&Response{Verbs: []Verb{Gather{}, Pause{}}}},
		{"huge seconds saturate", `<Response><Pause length="99999999999"/><Pause length="-99999999999"/></Response>`,
			&Response{Verbs: []Verb{Pause{Length: math.MaxInt64}, Pause{Length: math.MinInt64}}}},
		{"values kept for Validate", `<Response><Gather input="touch" method="put"/><Reject reason="x"/></Response>`,
			&Response{Verbs: []Verb{Gather{Input: "touch", Method: "put"}, Reject{Reason: "x"}}}},
		{"speech dtmf kept as written", `<Response><Gather input="speech dtmf"/><Gather input="dtmf speech"/></Response>`,
			&Response{Verbs: []Verb{Gather{Input: InputSpeechDTMF}, Gather{Input: InputDTMFSpeech}}}},
		{"new gather attributes", `<Response><Gather maxSpeechTime="45" bargeIn="false" debug="true" enhanced="false"/></Response>`,
			&Response{Verbs: []Verb{Gather{MaxSpeechTime: 45 * time.Second, BargeIn: ToggleOff, Debug: true}}}},
		{"ssml", `<Response><Say>Hi <break time="500ms"/><lang xml:lang="de-DE">Hallo <!-- c --><![CDATA[&]]> du</lang>` +
			`<amazon:effect name="drc"><s><prosody rate="slow">x</prosody></s></amazon:effect></Say></Response>`,
			&Response{Verbs: []Verb{Say{Content: []Speech{
				SSMLText("Hi "), SSMLBreak{Time: 500 * time.Millisecond},
				SSMLLang{Lang: "de-DE", Content: []Speech{SSMLText("Hallo & du")}},
				SSMLAmazonEffect{Name: EffectDRC, Content: []Speech{SSMLS{Content: []Speech{
					SSMLProsody{Rate: "slow", Content: []Speech{SSMLText("x")}}}}}},
			}}}}},
		{"negative break time kept for Validate", `<Response><Say><break time="-2s"/></Say></Response>`,
			&Response{Verbs: []Verb{Say{Content: []Speech{SSMLBreak{Time: -2 * time.Second}}}}}},
		{"empty ssml elements", `<Response><Say><p/><s></s><break/></Say></Response>`,
			&Response{Verbs: []Verb{Say{Content: []Speech{SSMLP{}, SSMLS{}, SSMLBreak{}}}}}},
		{"escaped markup stays text", `<Response><Say>&lt;break/&gt;</Say></Response>`,
			&Response{Verbs: []Verb{Say{Text: "<break/>"}}}},
		{"dial number", `<Response><Dial timeout="10" callerId="+15005550001" recordingStatusCallbackEvent="in-progress completed">` +
			`+15005550006</Dial></Response>`,
			&Response{Verbs: []Verb{Dial{Timeout: 10 * time.Second, CallerID: "+15005550001",
				RecordingStatusCallbackEvent: []RecordingEvent{RecordingInProgress, RecordingCompleted}, PhoneNumber: "+15005550006"}}}},
		{"dial nouns with whitespace", "<Response><Dial>\n  <Number machineDetectionSilenceTimeout=\"3000\">+15005550006</Number>\n" +
			"  <Client>agent</Client>\n  <Sip username=\"u\">sip:a@example.com</Sip>\n</Dial></Response>",
			&Response{Verbs: []Verb{Dial{Nouns: []DialNoun{
				Number{PhoneNumber: "+15005550006", MachineDetectionSilenceTimeout: 3 * time.Second},
				Client{Identity: "agent"},
				Sip{URI: "sip:a@example.com", Username: "u"},
			}}}}},
		{"conference silent wait", `<Response><Dial><Conference waitUrl="" beep="false">r</Conference></Dial></Response>`,
			&Response{Verbs: []Verb{Dial{Nouns: []DialNoun{Conference{Name: "r", SilentWait: true, Beep: BeepFalse}}}}}},
		{"enqueue", `<Response><Enqueue waitUrl="/wait" maxQueueSize="5">support</Enqueue>` +
			`<Enqueue workflowSid="WW1"> <Task priority="2" timeout="30">{}</Task> </Enqueue></Response>`,
			&Response{Verbs: []Verb{
				Enqueue{Name: "support", WaitURL: "/wait", MaxQueueSize: 5},
				Enqueue{WorkflowSid: "WW1", Task: EnqueueTask{Body: "{}", Priority: 2, Timeout: 30 * time.Second}},
			}}},
		{"trailing comment", `<Response/><!-- end -->` + "\n", &Response{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.doc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want error
		// mention is a part of the message that names the problem.
		mention string
	}{
		{"empty", ``, ErrSyntax, "end of document"},
		{"not xml", `hello`, ErrSyntax, "text outside"},
		{"unknown verb", `<Response><Record maxLength="30"/></Response>`, ErrSyntax, `unknown verb "Record"`},
		{"unknown verb in gather", `<Response><Gather><Sms/></Gather></Response>`, ErrSyntax, `unknown verb "Sms"`},
		{"unknown attribute", `<Response><Say colour="red">a</Say></Response>`, ErrSyntax, `Say: unknown attribute "colour"`},
		{"unknown gather attribute", `<Response><Gather bargein="true"/></Response>`, ErrSyntax, `unknown attribute "bargein"`},
		{"attribute on response", `<Response x="1"/>`, ErrSyntax, `Response: unknown attribute "x"`},
		{"attribute on hangup", `<Response><Hangup reason="x"/></Response>`, ErrSyntax, `Hangup: unknown attribute "reason"`},
		{"wrong root", `<Reply/>`, ErrSyntax, `"Reply"`},
		{"two roots", `<Response/><Response/>`, ErrSyntax, "root"},
		{"redirect in gather", `<Response><Gather><Redirect>/x</Redirect></Gather></Response>`, ErrSyntax, "Gather: cannot hold Redirect"},
		{"gather in gather", `<Response><Gather><Gather/></Gather></Response>`, ErrSyntax, "cannot hold Gather"},
		{"child of hangup", `<Response><Hangup><Say>a</Say></Hangup></Response>`, ErrSyntax, `Hangup: cannot hold "Say"`},
		{"child of say", `<Response><Say>a<b>c</b></Say></Response>`, ErrSyntax, `Say: cannot hold "b"`},
		{"child of play", `<Response><Play>a<break/></Play></Response>`, ErrSyntax, `Play: holds text only, not "break"`},
		{"too deep", `<Response><Gather><Say>` + strings.Repeat("<p>", MaxDepth-2) + strings.Repeat("</p>", MaxDepth-2) +
			`</Say></Gather></Response>`, ErrSyntax, "nested deeper"},
		{"text in response", `<Response>hello</Response>`, ErrSyntax, "Response: holds text"},
		{"text in gather", `<Response><Gather>hi</Gather></Response>`, ErrSyntax, "Gather: holds text"},
		{"text in pause", `<Response><Pause>1</Pause></Response>`, ErrSyntax, "Pause: holds text"},
		{"not an integer", `<Response><Gather numDigits="four"/></Response>`, ErrSyntax, "Gather numDigits"},
		{"fractional seconds", `<Response><Pause length="1.5"/></Response>`, ErrSyntax, "Pause length"},
		{"bad loop", `<Response><Say loop="x">a</Say></Response>`, ErrSyntax, "Say loop"},
		{"bad boolean", `<Response><Gather actionOnEmptyResult="yes"/></Response>`, ErrSyntax, "actionOnEmptyResult"},
		{"bad speech timeout", `<Response><Gather speechTimeout="soon"/></Response>`, ErrSyntax, "speechTimeout"},
		{"duplicate attribute", `<Response><Gather timeout="1" timeout="2"/></Response>`, ErrSyntax, "twice"},
		{"doctype", `<!DOCTYPE Response [<!ENTITY a "b">]><Response/>`, ErrSyntax, "DOCTYPE"},
		{"undefined entity", `<Response><Say>&nope;</Say></Response>`, ErrSyntax, "entity"},
		{"unclosed", `<Response><Say>a`, ErrSyntax, ""},
		{"mismatched", `<Response><Say>a</Play></Response>`, ErrSyntax, ""},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><Response/>`, ErrSyntax, ""},
		{"invalid utf-8", "<Response><Say>\xff</Say></Response>", ErrSyntax, ""},
		{"namespaced verb", `<Response xmlns:t="urn:x"><t:Say>a</t:Say></Response>`, ErrSyntax, ""},
		{"noun outside dial", `<Response><Number>+15005550006</Number></Response>`, ErrSyntax, "Response: cannot hold Number outside a Dial"},
		{"unknown noun", `<Response><Dial><Sim>DE1</Sim></Dial></Response>`, ErrSyntax, `Dial: cannot hold "Sim"`},
		{"verb in dial", `<Response><Dial><Say>a</Say></Dial></Response>`, ErrSyntax, `Dial: cannot hold "Say"`},
		{"dial in gather", `<Response><Gather><Dial>1</Dial></Gather></Response>`, ErrSyntax, "Gather: cannot hold Dial"},
		{"enqueue in gather", `<Response><Gather><Enqueue>q</Enqueue></Gather></Response>`, ErrSyntax, "Gather: cannot hold Enqueue"},
		{"two tasks", `<Response><Enqueue><Task>{}</Task><Task>{}</Task></Enqueue></Response>`, ErrSyntax, "only one Task"},
		{"other child of enqueue", `<Response><Enqueue><Number>1</Number></Enqueue></Response>`, ErrSyntax, `Enqueue: cannot hold "Number"`},
		{"child of noun", `<Response><Dial><Number><Say>a</Say></Number></Dial></Response>`, ErrSyntax, `Number: holds text only`},
		{"unknown noun attribute", `<Response><Dial><Number statusCallbackEvents="ringing">1</Number></Dial></Response>`,
			ErrSyntax, `Number: unknown attribute "statusCallbackEvents"`},
		{"bad noun integer", `<Response><Dial><Conference maxParticipants="many">r</Conference></Dial></Response>`,
			ErrSyntax, "Conference maxParticipants"},
		{"bad millis", `<Response><Dial><Number machineDetectionSilenceTimeout="1.5">1</Number></Dial></Response>`,
			ErrSyntax, "machineDetectionSilenceTimeout: is not a whole number of milliseconds"},
		{"bad dial boolean", `<Response><Dial hangupOnStar="yes">1</Dial></Response>`, ErrSyntax, "Dial hangupOnStar"},
		{"bad bargeIn", `<Response><Gather bargeIn="no"/></Response>`, ErrSyntax, "Gather bargeIn"},
		{"unknown ssml element", `<Response><Say><audio src="x"/></Say></Response>`, ErrSyntax, `Say: cannot hold "audio"`},
		{"unknown ssml attribute", `<Response><Say><say-as interpret-as="date" role="yymmdd">x</say-as></Say></Response>`,
			ErrSyntax, `say-as: unknown attribute "role"`},
		{"element in ssml leaf", `<Response><Say><sub alias="a"><break/></sub></Say></Response>`, ErrSyntax, "sub: holds text only"},
		{"break with text", `<Response><Say><break>x</break></Say></Response>`, ErrSyntax, "break: holds text"},
		{"bad break time", `<Response><Say><break time="2 s"/></Say></Response>`, ErrSyntax, "break time"},
		{"break time without unit", `<Response><Say><break time="2"/></Say></Response>`, ErrSyntax, "break time"},
		{"lang without xml prefix", `<Response><Say><lang lang="fr">x</lang></Say></Response>`, ErrSyntax, `lang: unknown attribute "lang"`},
		{"ssml outside say", `<Response><Gather><break/></Gather></Response>`, ErrSyntax, `unknown verb "break"`},
		{"too large", "<Response>" + strings.Repeat(" ", MaxDocumentSize) + "</Response>", ErrTooLarge, "longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse([]byte(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Parse = %v, %v; want an error matching %v", r, err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %v is not an *Error", err)
			}
			if !strings.Contains(err.Error(), tc.mention) || !strings.HasPrefix(err.Error(), "twiml: ") {
				t.Errorf("error %q does not start with twiml: and mention %q", err, tc.mention)
			}
		})
	}
}

func TestParseLine(t *testing.T) {
	_, err := Parse([]byte("<Response>\n<Say>a</Say>\n<Sms/>\n</Response>"))
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 {
		t.Errorf("Parse error %v, want one on line 3", err)
	}
}

func TestParseLongNameIsCut(t *testing.T) {
	long := strings.Repeat("X", 1000)
	_, err := Parse([]byte("<Response><" + long + "/></Response>"))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("Parse error %q, want a short one", err)
	}
}

func TestParseMaxSize(t *testing.T) {
	doc := "<Response><Say>" + strings.Repeat("a", MaxDocumentSize-len("<Response><Say></Say></Response>")) + "</Say></Response>"
	if len(doc) != MaxDocumentSize {
		t.Fatalf("test document is %d bytes", len(doc))
	}
	if _, err := Parse([]byte(doc)); err != nil {
		t.Errorf("Parse of a document of MaxDocumentSize bytes: %v", err)
	}
}
