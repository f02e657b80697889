package twiml

import (
	"bytes"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const tutorialBase = "https://example.com/encrypted-gather"

// tutorialGetLast4CC is the tutorial's first response.
func tutorialGetLast4CC() *Response {
	return &Response{Verbs: []Verb{
		Gather{
			Action:    tutorialBase + "?step=getPin",
			Method:    MethodPOST,
			Input:     InputDTMF,
			Timeout:   10 * time.Second,
			NumDigits: 4,
			Verbs: []GatherVerb{
				Say{Text: "Please enter last 4 digits of your payment card number."},
			},
		},
	}}
}

const getPinAction = "https://ivr.example.com/encrypted-gather?step=processData&encryptedCardDigits=" +
	"000102030405060708090a0b85829fbeb7905d3e86d3b8e6006c16030e2b42d0"

// getPin is the tutorial's second response; the benchmarks render it.
func getPin() *Response {
	return &Response{Verbs: []Verb{Gather{
		Action: getPinAction, Method: MethodPOST, Input: InputDTMF, Timeout: 10 * time.Second, NumDigits: 4,
		Verbs: []GatherVerb{Say{Text: "Please enter your unique 4 digit identification number"}},
	}}}
}

// tutorialProcessData is the tutorial's last response, on success.
func tutorialProcessData() *Response {
	return &Response{Verbs: []Verb{
		Say{Text: "Thank you. Your account number is AC12345678 and your balance is 12.55"},
	}}
}

// goldenCases are the responses kept as golden files in testdata.
func goldenCases() []struct {
	name string
	r    *Response
} {
	return []struct {
		name string
		r    *Response
	}{
		{"tutorial_getLast4CC", tutorialGetLast4CC()},
		{"tutorial_getPin", getPin()},
		{"tutorial_processData", tutorialProcessData()},
		{"tutorial_processData_failure", &Response{Verbs: []Verb{
			Say{Text: "We were not able to locate you in our system. Goodbye."},
		}}},
		{"empty", &Response{}},
		{"say", &Response{Verbs: []Verb{Say{Text: "Hello."}}}},
		{"say_attributes", &Response{Verbs: []Verb{
			Say{Text: "Bonjour.", Voice: "Polly.Celine", Language: "fr-FR", Loop: 3},
		}}},
		{"say_loop_forever", &Response{Verbs: []Verb{Say{Text: "Hold on.", Loop: LoopForever}}}},
		{"play", &Response{Verbs: []Verb{Play{URL: "https://example.com/hold.mp3"}}}},
		{"play_attributes", &Response{Verbs: []Verb{
			Play{URL: "https://example.com/hold.mp3", Loop: 2},
			Play{Digits: "ww1234#"},
		}}},
		{"pause", &Response{Verbs: []Verb{Pause{}, Pause{Length: 3 * time.Second}}}},
		{"gather_empty", &Response{Verbs: []Verb{Gather{}}}},
		{"gather_attributes", &Response{Verbs: []Verb{Gather{
			Input:                       InputDTMFSpeech,
			Action:                      "/next?step=2&lang=en",
			Method:                      MethodGET,
			Timeout:                     7 * time.Second,
			NumDigits:                   6,
			FinishOnKey:                 "*",
			ActionOnEmptyResult:         true,
			SpeechTimeout:               SpeechTimeoutAuto,
			Language:                    "en-GB",
			Hints:                       "balance, account, agent",
			SpeechModel:                 "phone_call",
			ProfanityFilter:             ToggleOff,
			PartialResultCallback:       "/partial",
			PartialResultCallbackMethod: MethodPOST,
			Verbs: []GatherVerb{
				Say{Text: "Enter or say your account number."},
				Pause{Length: time.Second},
				Play{URL: "https://example.com/beep.wav"},
			},
		}}}},
		{"gather_no_finish_key", &Response{Verbs: []Verb{Gather{
			FinishOnKey:     NoFinishOnKey,
			SpeechTimeout:   3 * time.Second,
			ProfanityFilter: ToggleOn,
		}}}},
		{"redirect", &Response{Verbs: []Verb{
			Redirect{URL: "/flow?state=abc&step=1"},
			Redirect{URL: "/flow", Method: MethodGET},
		}}},
		{"hangup", &Response{Verbs: []Verb{Hangup{}}}},
		{"reject", &Response{Verbs: []Verb{Reject{}, Reject{Reason: RejectBusy}}}},
		{"gather_then_redirect", &Response{Verbs: []Verb{
			Gather{Action: "/a", NumDigits: 4, Verbs: []GatherVerb{Say{Text: "Enter your PIN."}}},
			Say{Text: "We did not receive any input."},
			Redirect{URL: "/a?silence=1"},
		}}},
		{"gather_speech_attributes", &Response{Verbs: []Verb{Gather{
			Input:         InputSpeechDTMF,
			Action:        "/speech",
			SpeechModel:   "phone_call",
			MaxSpeechTime: 30 * time.Second,
			BargeIn:       ToggleOff,
			Debug:         true,
			Enhanced:      true,
			Verbs:         []GatherVerb{Say{Text: "Say or type your account number."}},
		}}}},
		{"say_ssml", &Response{Verbs: []Verb{sayEverySSML()}}},
		{"dial_number", &Response{Verbs: []Verb{Dial{
			Action:                        "/after-dial?step=done",
			Method:                        MethodGET,
			Timeout:                       20 * time.Second,
			HangupOnStar:                  true,
			TimeLimit:                     time.Hour,
			CallerID:                      "+15005550001",
			Record:                        DialRecordFromAnswerDual,
			Trim:                          TrimSilence,
			RecordingStatusCallback:       "/recording",
			RecordingStatusCallbackMethod: MethodPOST,
			RecordingStatusCallbackEvent:  []RecordingEvent{RecordingInProgress, RecordingCompleted},
			AnswerOnBridge:                true,
			RingTone:                      "uk",
			RecordingTrack:                TrackInbound,
			ReferURL:                      "/refer",
			ReferMethod:                   MethodGET,
			PhoneNumber:                   "+15005550006",
		}}}},
		{"dial_nouns", &Response{Verbs: []Verb{Dial{Sequential: true, Nouns: []DialNoun{
			Number{
				PhoneNumber: "+15005550006", SendDigits: "ww1928", URL: "/whisper", Method: MethodGET,
				StatusCallbackEvent: []CallEvent{CallInitiated, CallRinging, CallAnswered, CallCompleted},
				StatusCallback:      "/status", StatusCallbackMethod: MethodPOST, BYOC: "BY00000000000000000000000000000000",
				MachineDetection: DetectMessageEnd, AMDStatusCallback: "/amd", AMDStatusCallbackMethod: MethodGET,
				MachineDetectionTimeout: 15 * time.Second, MachineDetectionSpeechThreshold: 2400 * time.Millisecond,
				MachineDetectionSpeechEndThreshold: 1200 * time.Millisecond, MachineDetectionSilenceTimeout: 5 * time.Second,
			},
			Client{Identity: "agent-7", URL: "/client", Method: MethodPOST, StatusCallbackEvent: []CallEvent{CallAnswered},
				StatusCallback: "/status", StatusCallbackMethod: MethodGET},
			Sip{URI: "sip:agent@example.com;transport=tls", Username: "ivr", Password: "not-a-secret", URL: "/sip",
				Method: MethodGET, StatusCallbackEvent: []CallEvent{CallCompleted}, StatusCallback: "/status"},
		}}}}},
		{"dial_conference", &Response{Verbs: []Verb{Dial{Nouns: []DialNoun{Conference{
			Name: "Room 1234", Muted: true, Beep: BeepOnEnter, StartConferenceOnEnter: ToggleOff,
			EndConferenceOnExit: true, SilentWait: true, WaitMethod: MethodGET, MaxParticipants: 10,
			Record: ConferenceRecordFromStart, Region: "ie1", Coach: "CA00000000000000000000000000000000",
			Trim: DoNotTrim, StatusCallbackEvent: []ConferenceEvent{ConferenceStart, ConferenceEnd, ConferenceJoin},
			StatusCallback: "/conf", StatusCallbackMethod: MethodPOST, RecordingStatusCallback: "/rec",
			RecordingStatusCallbackMethod: MethodGET, RecordingStatusCallbackEvent: []RecordingEvent{RecordingCompleted},
			EventCallbackURL: "/events", JitterBufferSize: JitterBufferSmall, ParticipantLabel: "customer",
		}}}}}},
		{"dial_queue", &Response{Verbs: []Verb{Dial{Nouns: []DialNoun{Queue{
			Name: "support", URL: "/about-to-connect", Method: MethodGET,
			ReservationSid: "WR00000000000000000000000000000000", PostWorkActivitySid: "WA00000000000000000000000000000000",
		}}}}}},
		{"enqueue", &Response{Verbs: []Verb{Enqueue{
			Name: "support", Action: "/left-queue", MaxQueueSize: 50, Method: MethodGET,
			WaitURL: "/hold-music", WaitURLMethod: MethodPOST,
		}}}},
		{"enqueue_task", &Response{Verbs: []Verb{Enqueue{
			WorkflowSid: "WW00000000000000000000000000000000",
			Task:        EnqueueTask{Body: `{"selected_language":"en","skill":"billing"}`, Priority: 5, Timeout: 200 * time.Second},
		}}}},
		{"say_then_dial_agent", &Response{Verbs: []Verb{
			Say{Text: "Connecting you to an agent."},
			Dial{CallerID: "+15005550001", Nouns: []DialNoun{Client{Identity: "agent"}}},
		}}},
		{"escaping", &Response{Verbs: []Verb{
			Say{Text: `Tom & Jerry say "<hi>" & 'bye'` + "\r\n\tend", Voice: "a\"b<c>&d'e\nf\tg\rh"},
			Redirect{URL: "/x?a=1&b=<2>"},
		}}},
	}
}

// sayEverySSML is a Say using every SSML element and attribute.
func sayEverySSML() Say {
	return Say{Voice: "Polly.Joanna", Text: "Your code is ", Content: []Speech{
		SSMLSayAs{InterpretAs: InterpretAsDigits, Text: "4921"},
		SSMLBreak{Strength: BreakStrong, Time: 1500 * time.Millisecond},
		SSMLBreak{Time: 2 * time.Second},
		SSMLP{Content: []Speech{
			SSMLS{Content: []Speech{SSMLText("Say it "), SSMLEmphasis{Level: EmphasisStrong, Content: []Speech{SSMLText("slowly")}}}},
			SSMLS{Content: []Speech{SSMLProsody{Volume: "-6dB", Rate: "85%", Pitch: "+5%", Content: []Speech{SSMLText("& softly")}}}},
		}},
		SSMLLang{Lang: "fr-FR", Content: []Speech{SSMLText("Merci")}},
		SSMLPhoneme{Alphabet: AlphabetIPA, Ph: "pɪˈkɑːn", Text: "pecan"},
		SSMLSayAs{InterpretAs: InterpretAsDate, Format: DateYMD, Text: "2026-01-31"},
		SSMLSub{Alias: "Interactive Voice Response", Text: "IVR"},
		SSMLW{Role: RolePastTense, Text: "read"},
		SSMLAmazonEffect{Name: EffectWhispered, Content: []Speech{SSMLText("a secret")}},
	}}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.r.AppendXML(nil)
			path := filepath.Join("testdata", tc.name+".xml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("rendered\n%s\nwant (%s)\n%s", got, path, want)
			}
			if err := tc.r.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			back, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if again := back.AppendXML(nil); !bytes.Equal(again, got) {
				t.Errorf("render(Parse(render)) =\n%s\nwant\n%s", again, got)
			}
		})
	}
}

func TestTutorialBytes(t *testing.T) {
	// The tutorial's attributes, in our documented order.
	want := `<?xml version="1.0" encoding="UTF-8"?><Response>` +
		`<Gather input="dtmf" action="https://example.com/encrypted-gather?step=getPin" method="POST" timeout="10" numDigits="4">` +
		`<Say>Please enter last 4 digits of your payment card number.</Say></Gather></Response>`
	if got := tutorialGetLast4CC().String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			first := tc.r.String()
			for i := 0; i < 50; i++ {
				if got := tc.r.String(); got != first {
					t.Fatalf("render %d differs:\n%s\nfirst:\n%s", i, got, first)
				}
			}
			var buf bytes.Buffer
			n, err := tc.r.WriteTo(&buf)
			if err != nil || n != int64(len(first)) || buf.String() != first {
				t.Errorf("WriteTo = %d, %v, %q; want %d, nil, String()", n, err, buf.String(), len(first))
			}
			prefix := []byte("prefix")
			if got := tc.r.AppendXML(prefix); string(got) != "prefix"+first {
				t.Errorf("AppendXML did not append: %q", got)
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		text     string // as element content
		attr     string // as an attribute value
		readBack string // what a parser gives back
	}{
		{"plain", "abc 123", "abc 123", "abc 123", "abc 123"},
		{"less than", "a<b", "a&lt;b", "a&lt;b", "a<b"},
		{"greater than", "a>b", "a&gt;b", "a&gt;b", "a>b"},
		{"ampersand", "a&b", "a&amp;b", "a&amp;b", "a&b"},
		{"entity-like", "&amp;", "&amp;amp;", "&amp;amp;", "&amp;"},
		{"double quote", `a"b`, `a"b`, "a&quot;b", `a"b`},
		{"single quote", "a'b", "a'b", "a'b", "a'b"},
		{"newline", "a\nb", "a\nb", "a&#xA;b", "a\nb"},
		{"carriage return", "a\rb", "a&#xD;b", "a&#xD;b", "a\rb"},
		{"crlf", "a\r\nb", "a&#xD;\nb", "a&#xD;&#xA;b", "a\r\nb"},
		{"tab", "a\tb", "a\tb", "a&#x9;b", "a\tb"},
		{"control", "a\x00b\x1bc", "a\uFFFDb\uFFFDc", "a\uFFFDb\uFFFDc", "a\uFFFDb\uFFFDc"},
		{"invalid utf-8", "a\xffb\xc3", "a\uFFFDb\uFFFD", "a\uFFFDb\uFFFD", "a\uFFFDb\uFFFD"},
		{"noncharacter", "a\uFFFEb\uFFFF", "a\uFFFDb\uFFFD", "a\uFFFDb\uFFFD", "a\uFFFDb\uFFFD"},
		{"non-ascii", "café ☎ 𝄞", "café ☎ 𝄞", "café ☎ 𝄞", "café ☎ 𝄞"},
		{"replacement char", "\uFFFD", "\uFFFD", "\uFFFD", "\uFFFD"},
		{"cdata end", "]]>", "]]&gt;", "]]&gt;", "]]>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendText(nil, tc.in)); got != tc.text {
				t.Errorf("appendText(%q) = %q, want %q", tc.in, got, tc.text)
			}
			if got := string(appendAttr(nil, tc.in)); got != tc.attr {
				t.Errorf("appendAttr(%q) = %q, want %q", tc.in, got, tc.attr)
			}
			r := &Response{Verbs: []Verb{Say{Text: tc.in, Voice: tc.in}}}
			back, err := Parse(r.AppendXML(nil))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			say := back.Verbs[0].(Say)
			if say.Text != tc.readBack || say.Voice != tc.readBack {
				t.Errorf("read back text %q, voice %q; want %q", say.Text, say.Voice, tc.readBack)
			}
		})
	}
}

func TestDurationRounding(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, `<Pause/>`},
		{time.Nanosecond, `<Pause length="1"/>`},
		{time.Second, `<Pause length="1"/>`},
		{1500 * time.Millisecond, `<Pause length="2"/>`},
		{2*time.Second - 1, `<Pause length="2"/>`},
		{90 * time.Second, `<Pause length="90"/>`},
		{-1, `<Pause length="-1"/>`},
		{-1500 * time.Millisecond, `<Pause length="-2"/>`},
	}
	for _, tc := range tests {
		t.Run(tc.d.String(), func(t *testing.T) {
			got := string(appendPause(nil, &Pause{Length: tc.d}))
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestPointerVerbsRenderNothing checks that verbs are values only: a pointer
// to a verb, or nil, renders nothing (Validate reports it).
func TestBreakTime(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, `<break/>`},
		{time.Nanosecond, `<break time="1ms"/>`},
		{500 * time.Millisecond, `<break time="500ms"/>`},
		{1500 * time.Millisecond, `<break time="1500ms"/>`},
		{2 * time.Second, `<break time="2s"/>`},
		{10*time.Second - 29, `<break time="10s"/>`}, // rounds up to whole seconds: found by FuzzRoundTrip
		{-time.Second, `<break time="-1s"/>`},
	}
	for _, tc := range tests {
		t.Run(tc.d.String(), func(t *testing.T) {
			if got := string(appendSpeechNode(nil, SSMLBreak{Time: tc.d})); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestPointerVerbsRenderNothing(t *testing.T) {
	tests := []struct {
		name  string
		verbs []Verb
	}{
		{"pointers", []Verb{&Say{Text: "a"}, &Play{URL: "b"}, &Hangup{}, &Dial{PhoneNumber: "+15005550006"}}},
		{"nils", []Verb{nil, (*Say)(nil), (*Hangup)(nil), (*Gather)(nil)}},
		{"pointer in gather", []Verb{Gather{Verbs: []GatherVerb{&Say{Text: "c"}, (*Pause)(nil)}}}},
		{"pointer noun", []Verb{Dial{Nouns: []DialNoun{&Number{PhoneNumber: "+15005550006"}, nil}}}},
		{"pointer speech", []Verb{Say{Content: []Speech{&SSMLBreak{}, nil}}}},
	}
	want := map[string]string{
		"pointers":          header + "<Response/>",
		"nils":              header + "<Response/>",
		"pointer in gather": header + "<Response><Gather/></Response>",
		"pointer noun":      header + "<Response><Dial/></Response>",
		"pointer speech":    header + "<Response><Say/></Response>",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Response{Verbs: tc.verbs}
			if got := r.String(); got != want[tc.name] {
				t.Errorf("renders %s, want %s", got, want[tc.name])
			}
			if err := r.Validate(); !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate() = %v, want ErrInvalid", err)
			}
		})
	}
	var nilResponse *Response
	if got, want := nilResponse.String(), header+"<Response/>"; got != want {
		t.Errorf("nil Response renders %s, want %s", got, want)
	}
}

func TestAppendXMLAllocs(t *testing.T) {
	r := getPin()
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		buf = r.AppendXML(buf[:0])
	})
	if allocs != 0 {
		t.Errorf("AppendXML into a buffer with room: %v allocations, want 0", allocs)
	}
}

func TestWriteHTTP(t *testing.T) {
	r := getPin()
	rec := httptest.NewRecorder()
	if err := WriteHTTP(rec, r); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK {
		t.Errorf("status %d, want 200", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(len(r.String())); got != want {
		t.Errorf("Content-Length %q, want %q", got, want)
	}
	if got := rec.Body.String(); got != r.String() {
		t.Errorf("body %q, want %q", got, r.String())
	}
	if !strings.HasPrefix(rec.Body.String(), `<?xml version="1.0" encoding="UTF-8"?><Response>`) {
		t.Errorf("body does not start with the declaration and Response: %q", rec.Body.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteToError(t *testing.T) {
	if _, err := getPin().WriteTo(failingWriter{}); err != os.ErrClosed {
		t.Errorf("WriteTo error = %v, want %v", err, os.ErrClosed)
	}
}
