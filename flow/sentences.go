package flow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/encgather/encgather/twiml"
)

// Sentences are what a flow says on its own, in one language and voice:
// before a step asks again (unless the step has a matching Retry), when a
// step has used all its attempts, and when a request cannot be served.
// WithSentences sets them; DefaultSentences is English in Twilio's default
// voice.
type Sentences struct {
	// NoInput follows silence: no key pressed before the timeout.
	NoInput string
	// WrongLength follows an entry of the wrong length, or with a key
	// other than 0-9, on an Exactly(n) step; "{n}" in it is replaced by n.
	WrongLength string
	// Invalid is WrongLength for a Between step, and follows a
	// transcript a speech step could not use.
	Invalid string
	// Rejected follows an entry the step's Validate refused: the caller
	// typed the right number of digits, which were not accepted.
	Rejected string
	// Goodbye is said, then <Hangup>, when a step has used all its
	// attempts. WithGoodbye replaces it with any verbs.
	Goodbye string
	// Apology is said, then <Hangup>, when a request cannot be served.
	// WithApology replaces it with any verbs.
	Apology string

	// Voice and Language are set on every <Say> of these sentences, such
	// as "Polly.Lupe" and "es-US"; "" leaves Twilio's default.
	Voice, Language string
}

// DefaultSentences returns the sentences a flow says unless WithSentences
// is given: English, in Twilio's default voice.
func DefaultSentences() Sentences {
	return Sentences{
		NoInput:     "We didn't receive any input.",
		WrongLength: "That was not {n} digits.",
		Invalid:     "That entry was not valid.",
		Rejected:    "That entry was not accepted.",
		Goodbye:     "We're sorry, we could not get your entry. Goodbye.",
		Apology:     "We're sorry, an application error has occurred. Goodbye.",
	}
}

// WithSentences sets what the flow says on its own, such as a translation
// of DefaultSentences. Every sentence must be set. Voice and Language
// apply to every built-in <Say>, but not to verbs given with WithGoodbye,
// WithApology or a step's Retries, nor to prompts.
func WithSentences(s Sentences) Option {
	return flowOption(func(c *config) error {
		if err := s.check(); err != nil {
			return err
		}
		c.sentences = s
		return nil
	})
}

// check refuses sentences that Twilio would not say.
func (s *Sentences) check() error {
	named := [...]struct{ name, text string }{
		{"NoInput", s.NoInput}, {"WrongLength", s.WrongLength}, {"Invalid", s.Invalid},
		{"Rejected", s.Rejected}, {"Goodbye", s.Goodbye}, {"Apology", s.Apology},
	}
	for _, n := range named {
		if strings.TrimSpace(n.text) == "" {
			return fmt.Errorf("%w: sentence %s is empty", ErrDefinition, n.name)
		}
		say := s.say(n.text)
		if err := (&twiml.Response{Verbs: []twiml.Verb{say}}).Validate(); err != nil {
			return fmt.Errorf("%w: sentence %s: %w", ErrDefinition, n.name, err)
		}
	}
	return nil
}

// say returns text as a <Say> in the sentences' voice and language.
func (s *Sentences) say(text string) twiml.Say {
	return twiml.Say{Text: text, Voice: s.Voice, Language: s.Language}
}

// retry returns the sentence said before a step asks again for reason.
func (s *Sentences) retry(reason Reason, d Digits) twiml.Say {
	switch reason {
	case ReasonTimeout:
		return s.say(s.NoInput)
	case ReasonRejected:
		return s.say(s.Rejected)
	}
	if d.exact() && d.Max > 0 {
		return s.say(strings.ReplaceAll(s.WrongLength, "{n}", strconv.Itoa(d.Min)))
	}
	return s.say(s.Invalid)
}

// ending returns text said, then <Hangup>.
func (s *Sentences) ending(text string) []twiml.Verb {
	return []twiml.Verb{s.say(text), twiml.Hangup{}}
}
