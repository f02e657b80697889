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
// Validate reports: a nil verb; Say text that is empty or longer than
// [MaxSayLength] characters; a negative Loop other than [LoopForever]; a
// Play with neither URL nor Digits, or Digits other than 0-9, *, # and w; a
// Pause, Gather timeout or speechTimeout that is negative (other than
// [SpeechTimeoutAuto]) or under one second; a NumDigits below 1; a
// FinishOnKey that is not one key; an Input, Method, RejectReason or Toggle
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
	case *Say:
		if x != nil {
			v.say(x)
		}
	case Play:
		v.play(&x)
	case *Play:
		if x != nil {
			v.play(x)
		}
	case Pause:
		v.pause(&x)
	case *Pause:
		if x != nil {
			v.pause(x)
		}
	case Gather:
		v.gather(&x)
	case *Gather:
		if x != nil {
			v.gather(x)
		}
	case Redirect:
		v.redirect(&x)
	case *Redirect:
		if x != nil {
			v.redirect(x)
		}
	case Reject:
		v.reject(&x)
	case *Reject:
		if x != nil {
			v.reject(x)
		}
	}
	if verb == nil || isNilPointer(verb) {
		v.add("Response", "", "verb "+strconv.Itoa(i)+" is nil")
	}
}

// isNilPointer reports whether verb is a nil pointer to one of the verbs.
func isNilPointer(verb Verb) bool {
	switch x := verb.(type) {
	case *Say:
		return x == nil
	case *Play:
		return x == nil
	case *Pause:
		return x == nil
	case *Gather:
		return x == nil
	case *Redirect:
		return x == nil
	case *Hangup:
		return x == nil
	case *Reject:
		return x == nil
	}
	return false
}

func (v *validator) say(s *Say) {
	switch {
	case s.Text == "":
		v.add("Say", "", "text is empty")
	case !validXML(s.Text):
		v.add("Say", "", "text has a character XML cannot carry")
	case utf8.RuneCountInString(s.Text) > MaxSayLength:
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
	for i := 0; i < len(p.Digits); i++ {
		switch c := p.Digits[i]; {
		case c >= '0' && c <= '9', c == '*', c == '#', c == 'w':
		default:
			v.add("Play", "digits", "must hold only 0-9, *, # and w")
			return
		}
	}
}

func (v *validator) pause(p *Pause) {
	v.duration("Pause", "length", p.Length)
}

func (v *validator) gather(g *Gather) {
	switch g.Input {
	case "", InputDTMF, InputSpeech, InputDTMFSpeech:
	default:
		v.add("Gather", "input", "must be dtmf, speech or dtmf speech")
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
	if g.ProfanityFilter > ToggleOff {
		v.add("Gather", "profanityFilter", "must be ToggleDefault, ToggleOn or ToggleOff")
	}
	v.str("Gather", "partialResultCallback", g.PartialResultCallback)
	v.method("Gather", "partialResultCallbackMethod", g.PartialResultCallbackMethod)
	for i, gv := range g.Verbs {
		if gv == nil || isNilPointer(gv) {
			v.add("Gather", "", "verb "+strconv.Itoa(i)+" is nil")
			continue
		}
		v.verb(i, gv)
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
	switch r.Reason {
	case "", RejectRejected, RejectBusy:
	default:
		v.add("Reject", "reason", "must be rejected or busy")
	}
}

// str reports a string XML cannot carry unchanged.
func (v *validator) str(verb, attr, s string) {
	if !validXML(s) {
		what := "has a character XML cannot carry"
		if attr == "" {
			what = "URL " + what
		}
		v.add(verb, attr, what)
	}
}

func (v *validator) loop(verb string, n int) {
	if n < 0 && n != LoopForever {
		v.add(verb, "loop", "must not be negative (LoopForever repeats until the call ends)")
	}
}

func (v *validator) method(verb, attr string, m Method) {
	switch m {
	case "", MethodGET, MethodPOST:
	default:
		v.add(verb, attr, "must be GET or POST")
	}
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
