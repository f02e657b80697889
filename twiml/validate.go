package twiml

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"
)

// MaxSayLength is the most characters Twilio speaks in one [Say].
const MaxSayLength = 4000

// Validate reports every value in r that Twilio would refuse, each as an
// [*Error] naming the verb and attribute; the result matches [ErrInvalid].
// It returns nil when r is valid.
//
// Validate reports: a nil verb, noun or SSML piece, or a pointer to one;
// Say text that is empty or, SSML content included, longer than
// [MaxSayLength] characters; a negative Loop other than [LoopForever]; a
// Play with neither URL nor Digits, or Digits (or a Number's SendDigits)
// other than 0-9, *, # and w; a duration that is negative (other than
// [SpeechTimeoutAuto]) or under one second where Twilio counts seconds; a
// NumDigits below 1; a FinishOnKey that is not one key; a Dial timeout
// outside 5 s to 600 s or timeLimit over 24 h; a Dial with both or neither
// of PhoneNumber and nouns, more than [MaxDialNouns] nouns, or a Conference
// or Queue beside other nouns; a noun with no number, identity, URI or name;
// an Enqueue with both or neither of a Name and a Task, or a Task without a
// WorkflowSid; counts outside Twilio's range (maxParticipants 2 to 250,
// maxQueueSize 1 to 5000); SSML with a required attribute missing, a break
// over [MaxBreak], or a prosody value of the wrong form; any enumeration
// outside its constants; an empty Redirect URL; and any string XML cannot
// carry unchanged (invalid UTF-8, control characters).
func (r *Response) Validate() error {
	if r == nil {
		return &Error{Verb: "Response", Reason: "is nil", Err: ErrInvalid}
	}
	var v validator
	for i, verb := range r.Verbs {
		v.verb(i, verb)
	}
	return errors.Join(v.errs...)
}

// validator collects the problems found in one Response.
type validator struct {
	errs []error
}

func (v *validator) add(verb, attr, reason string) {
	v.errs = append(v.errs, &Error{Verb: verb, Attr: attr, Reason: reason, Err: ErrInvalid})
}

func (v *validator) verb(i int, verb Verb) {
	switch x := verb.(type) {
	case Say:
		v.say(&x)
	case Play:
		v.play(&x)
	case Pause:
		v.pause(&x)
	case Gather:
		v.gather(&x)
	case Redirect:
		v.redirect(&x)
	case Hangup:
	case Reject:
		v.reject(&x)
	case Dial:
		v.dial(&x)
	case Enqueue:
		v.enqueue(&x)
	case nil:
		v.add("Response", "", "verb "+strconv.Itoa(i)+" is nil")
	default:
		v.add("Response", "", "verb "+strconv.Itoa(i)+" is a pointer; verbs are values")
	}
}

func (v *validator) say(s *Say) {
	text := s.Text
	if text == "" && len(s.Content) == 0 {
		v.add("Say", "", "text is empty")
	}
	if !validXML(text) {
		v.add("Say", "", "text has a character XML cannot carry")
	}
	if n := utf8.RuneCountInString(text) + v.speech(s.Content, 0); n > MaxSayLength {
		v.add("Say", "", "text is longer than "+strconv.Itoa(MaxSayLength)+" characters")
	}
	v.str("Say", "voice", s.Voice)
	v.str("Say", "language", s.Language)
	v.loop("Say", s.Loop)
}

func (v *validator) play(p *Play) {
	if p.URL == "" && p.Digits == "" {
		v.add("Play", "", "needs a URL or digits")
	}
	v.str("Play", "", p.URL)
	v.loop("Play", p.Loop)
	v.digits("Play", "digits", p.Digits)
}

// digits reports keys other than 0-9, *, # and w (a half-second wait).
func (v *validator) digits(verb, attr, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '*', c == '#', c == 'w':
		default:
			v.add(verb, attr, "must hold only 0-9, *, # and w")
			return
		}
	}
}

func (v *validator) pause(p *Pause) {
	v.duration("Pause", "length", p.Length)
}

func (v *validator) gather(g *Gather) {
	switch g.Input {
	case "", InputDTMF, InputSpeech, InputDTMFSpeech, InputSpeechDTMF:
	default:
		v.add("Gather", "input", "must be dtmf, speech, dtmf speech or speech dtmf")
	}
	v.str("Gather", "action", g.Action)
	v.method("Gather", "method", g.Method)
	v.duration("Gather", "timeout", g.Timeout)
	if g.NumDigits < 0 {
		v.add("Gather", "numDigits", "must be at least 1")
	}
	if !validFinishOnKey(g.FinishOnKey) {
		v.add("Gather", "finishOnKey", "must be one of 0-9, * and #, or NoFinishOnKey")
	}
	if g.SpeechTimeout != SpeechTimeoutAuto {
		v.duration("Gather", "speechTimeout", g.SpeechTimeout)
	}
	v.str("Gather", "language", g.Language)
	v.str("Gather", "hints", g.Hints)
	v.str("Gather", "speechModel", g.SpeechModel)
	v.toggle("Gather", "profanityFilter", g.ProfanityFilter)
	v.str("Gather", "partialResultCallback", g.PartialResultCallback)
	v.method("Gather", "partialResultCallbackMethod", g.PartialResultCallbackMethod)
	v.duration("Gather", "maxSpeechTime", g.MaxSpeechTime)
	v.toggle("Gather", "bargeIn", g.BargeIn)
	for i, gv := range g.Verbs {
		switch gv.(type) {
		case Say, Play, Pause:
			v.verb(i, gv)
		case nil:
			v.add("Gather", "", "verb "+strconv.Itoa(i)+" is nil")
		default:
			v.add("Gather", "", "verb "+strconv.Itoa(i)+" is a pointer; verbs are values")
		}
	}
}

func (v *validator) redirect(r *Redirect) {
	if r.URL == "" {
		v.add("Redirect", "", "URL is empty")
	}
	v.str("Redirect", "", r.URL)
	v.method("Redirect", "method", r.Method)
}

func (v *validator) reject(r *Reject) {
	oneOf(v, "Reject", "reason", r.Reason, RejectRejected, RejectBusy)
}

// str reports a string XML cannot carry unchanged.
func (v *validator) str(verb, attr, s string) {
	if !validXML(s) {
		what := "has a character XML cannot carry"
		if attr == "" {
			what = "text " + what
		}
		v.add(verb, attr, what)
	}
}

func (v *validator) toggle(verb, attr string, t Toggle) {
	if t > ToggleOff {
		v.add(verb, attr, "must be ToggleDefault, ToggleOn or ToggleOff")
	}
}

// oneOf reports a value outside the allowed ones; "" is always allowed.
func oneOf[S ~string](v *validator, verb, attr string, s S, allowed ...S) {
	if s == "" {
		return
	}
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	v.add(verb, attr, "must be one of "+joinValues(allowed))
}

// eachOf reports a list holding a value outside the allowed ones.
func eachOf[S ~string](v *validator, verb, attr string, list []S, allowed ...S) {
	for _, s := range list {
		if s == "" {
			v.add(verb, attr, "holds an empty value")
			return
		}
		before := len(v.errs)
		oneOf(v, verb, attr, s, allowed...)
		if len(v.errs) > before {
			return
		}
	}
}

func joinValues[S ~string](values []S) string {
	b := make([]byte, 0, 64)
	for i, s := range values {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, s...)
	}
	return string(b)
}

// between reports a set duration outside [lo, hi].
func (v *validator) between(verb, attr string, d, lo, hi time.Duration) {
	if d != 0 && (d < lo || d > hi) {
		v.add(verb, attr, "must be from "+lo.String()+" to "+hi.String())
	}
}

// count reports a set count outside [lo, hi].
func (v *validator) count(verb, attr string, n, lo, hi int) {
	if n != 0 && (n < lo || n > hi) {
		v.add(verb, attr, "must be from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
}

func (v *validator) loop(verb string, n int) {
	if n < 0 && n != LoopForever {
		v.add(verb, "loop", "must not be negative (LoopForever repeats until the call ends)")
	}
}

func (v *validator) method(verb, attr string, m Method) {
	oneOf(v, verb, attr, m, MethodGET, MethodPOST)
}

// duration reports a set duration under one second.
func (v *validator) duration(verb, attr string, d time.Duration) {
	if d != 0 && d < time.Second {
		v.add(verb, attr, "must be at least 1s")
	}
}

func validFinishOnKey(k FinishOnKey) bool {
	if k == "" || k == NoFinishOnKey {
		return true
	}
	if len(k) != 1 {
		return false
	}
	c := k[0]
	return c >= '0' && c <= '9' || c == '*' || c == '#'
}
