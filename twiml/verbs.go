package twiml

import "time"

// Verb is a verb that may appear directly in a [Response]: [Say], [Play],
// [Pause], [Gather], [Redirect], [Hangup], [Reject], [Dial] or [Enqueue].
// Verbs are values, never pointers. The interface is sealed: only this
// package's types implement it.
type Verb interface {
	verb()
}

// GatherVerb is a verb that may be nested in a [Gather]: [Say], [Play] or
// [Pause].
type GatherVerb interface {
	Verb
	gatherVerb()
}

// Response is a TwiML document: the verbs Twilio executes in order.
type Response struct {
	Verbs []Verb
}

// Say speaks Text, then Content, to the caller (the <Say> verb). Text is
// plain words; Content is words marked up with SSML, such as a pause
// ([SSMLBreak]) or digits read one by one ([SSMLSayAs]). Both are escaped
// when written, so neither can add markup of its own.
type Say struct {
	Text     string
	Voice    string   // voice; "" leaves Twilio's default
	Language string   // language; "" leaves Twilio's default
	Loop     int      // loop: times to repeat; 0 leaves Twilio's default (once), LoopForever repeats until the call ends
	Content  []Speech // SSML content, written after Text
}

// Play plays the audio file at URL, or the DTMF tones in Digits, to the
// caller (the <Play> verb).
type Play struct {
	URL    string
	Loop   int    // loop: times to repeat; 0 leaves Twilio's default (once), LoopForever repeats until the call ends
	Digits string // digits: DTMF tones to play ("w" waits half a second); "" omits the attribute
}

// Pause waits silently (the <Pause> verb).
type Pause struct {
	Length time.Duration // length; 0 leaves Twilio's default (1 s)
}

// Gather collects the caller's keypad digits or speech and sends them to
// Action (the <Gather> verb). Its nested verbs are played while it waits.
type Gather struct {
	Input                       Input         // input; "" leaves Twilio's default (dtmf)
	Action                      string        // action; "" posts back to the current document's URL
	Method                      Method        // method; "" leaves Twilio's default (POST)
	Timeout                     time.Duration // timeout; 0 leaves Twilio's default (5 s)
	NumDigits                   int           // numDigits; 0 omits the attribute
	FinishOnKey                 FinishOnKey   // finishOnKey; "" leaves Twilio's default (#), NoFinishOnKey writes finishOnKey=""
	ActionOnEmptyResult         bool          // actionOnEmptyResult; false omits the attribute
	SpeechTimeout               time.Duration // speechTimeout; 0 omits the attribute, SpeechTimeoutAuto writes "auto"
	Language                    string        // language; "" leaves Twilio's default (en-US)
	Hints                       string        // hints: words or phrases, comma-separated; "" omits the attribute
	SpeechModel                 string        // speechModel; "" leaves Twilio's default
	ProfanityFilter             Toggle        // profanityFilter; ToggleDefault leaves Twilio's default (true)
	PartialResultCallback       string        // partialResultCallback; "" omits the attribute
	PartialResultCallbackMethod Method        // partialResultCallbackMethod; "" leaves Twilio's default (POST)
	MaxSpeechTime               time.Duration // maxSpeechTime; 0 leaves Twilio's default (60 s)
	BargeIn                     Toggle        // bargeIn: speech or keys stop the nested verbs; ToggleDefault leaves Twilio's default (true)
	Debug                       bool          // debug; false omits the attribute
	Enhanced                    bool          // enhanced: the premium phone_call speech model; false omits the attribute
	Verbs                       []GatherVerb
}

// Redirect continues the call with the TwiML at URL (the <Redirect> verb).
type Redirect struct {
	URL    string
	Method Method // method; "" leaves Twilio's default (POST)
}

// Hangup ends the call (the <Hangup> verb).
type Hangup struct{}

// Reject declines an incoming call without answering it (the <Reject> verb).
type Reject struct {
	Reason RejectReason // reason; "" leaves Twilio's default (rejected)
}

// Input is the kind of input a [Gather] accepts.
type Input string

// The inputs Twilio accepts. InputDTMFSpeech and InputSpeechDTMF mean the
// same; Parse keeps the order as written.
const (
	InputDTMF       Input = "dtmf"
	InputSpeech     Input = "speech"
	InputDTMFSpeech Input = "dtmf speech"
	InputSpeechDTMF Input = "speech dtmf"
)

// Method is the HTTP method Twilio uses to request a URL.
type Method string

// The methods Twilio accepts.
const (
	MethodGET  Method = "GET"
	MethodPOST Method = "POST"
)

// RejectReason is the busy signal a [Reject] plays.
type RejectReason string

// The reasons Twilio accepts.
const (
	RejectRejected RejectReason = "rejected"
	RejectBusy     RejectReason = "busy"
)

// FinishOnKey is the key that ends a [Gather]: one of "0" to "9", "#" or
// "*"; the empty string leaves Twilio's default (#); [NoFinishOnKey] lets no
// key end it.
type FinishOnKey string

// NoFinishOnKey lets no key end a [Gather]: it is written finishOnKey="".
// Parse reads finishOnKey="" as NoFinishOnKey.
const NoFinishOnKey FinishOnKey = "none"

// SpeechTimeoutAuto, as a [Gather]'s SpeechTimeout, is written
// speechTimeout="auto": Twilio stops gathering speech at the first pause.
const SpeechTimeoutAuto time.Duration = -1

// LoopForever, as a [Say] or [Play] Loop, is written loop="0": Twilio repeats
// the verb until the call ends. Parse reads loop="0" as LoopForever.
const LoopForever = -1

// Toggle is an optional boolean attribute: [ToggleDefault] leaves Twilio's
// default, [ToggleOn] writes "true" and [ToggleOff] writes "false".
type Toggle uint8

// The values of a [Toggle].
const (
	ToggleDefault Toggle = iota
	ToggleOn
	ToggleOff
)

// EndsCall reports whether v ends the call ([Hangup], [Reject]) or hands
// the caller to another party ([Dial], [Enqueue]), so that the document's
// own conversation with the caller is over once v runs. Verbs after such a
// verb are not meant to follow it: after a Dial or Enqueue, Twilio requests
// its Action URL, or without one goes on with the next verb, only once the
// other party is done. EndsCall is false for every other verb, including
// [Redirect], which moves the document but keeps the conversation.
func EndsCall(v Verb) bool {
	switch v.(type) {
	case Hangup, Reject, Dial, Enqueue:
		return true
	}
	return false
}

func (Say) verb()      {}
func (Play) verb()     {}
func (Pause) verb()    {}
func (Gather) verb()   {}
func (Redirect) verb() {}
func (Hangup) verb()   {}
func (Reject) verb()   {}

func (Dial) verb()    {}
func (Enqueue) verb() {}

func (Say) gatherVerb()   {}
func (Play) gatherVerb()  {}
func (Pause) gatherVerb() {}
