package flow

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// stepParam and stateParam are the query parameters of every action URL a
// flow writes: the step the answer is for, and the sealed state.
const (
	stepParam  = "step"
	stateParam = "state"
)

// ErrDefinition is reported by New and NewValidator for a configuration or
// flow definition that cannot work.
var ErrDefinition = errors.New("flow: invalid definition")

// Flow is an http.Handler that runs a sequence of steps over a Twilio voice
// call. It keeps no call state between requests: everything a call needs
// travels in one sealed query parameter, so any replica sharing the key,
// the auth token and the single-use Store serves any request. The Store
// remembers only which tokens have answered.
//
// A Flow plugs in through small seams: the Sealer of sensitive values
// (WithSealer), the RecordingPauser (WithRecordingPause), the single-use
// Store (WithStore) and the Finish that ends the call.
type Flow struct {
	steps     []Step
	index     map[string]int
	next      []int              // each step's successor when nothing chooses: an index, or len(steps) for the end
	facts     map[string]factRef // where each declared fact is kept
	finish    Finish
	cfg       config
	validator *Validator
	states    stateCodec
	sealer    Sealer
	single    *singleUse
	finishing chan struct{} // a slot per Finish running, stragglers included
}

// New returns a Flow that asks steps in order and hands their values to
// finish. master seals sensitive values (it is what the backend opens them
// with, unless WithSealer is given) and, through a derived key, the state;
// authToken checks Twilio's signatures. The steps are copied, with defaults
// filled in. Every error wraps ErrDefinition.
//
// New refuses a flow whose state token could outgrow an action URL: every
// field at its most digits, sealed values at the Sealer's size (see
// SizedSealer), must fit in 3,500 characters: with the default Sealer,
// over seventy steps of 4 digits, or 28 of 64 digits.
func New(master *aescrypt.Cipher, authToken string, steps []Step, finish Finish, opts ...Option) (*Flow, error) {
	if master == nil {
		return nil, fmt.Errorf("%w: nil cipher", ErrDefinition)
	}
	if finish == nil {
		return nil, fmt.Errorf("%w: nil Finish", ErrDefinition)
	}
	if len(steps) == 0 || len(steps) > maxFields {
		return nil, fmt.Errorf("%w: a flow needs 1 to %d steps", ErrDefinition, maxFields)
	}
	cfg := defaultConfig()
	if err := cfg.apply(opts); err != nil {
		return nil, err
	}
	f := &Flow{
		finishing: make(chan struct{}, DefaultMaxFinishing),
		steps:     append([]Step(nil), steps...),
		index:     make(map[string]int, len(steps)),
		finish:    finish,
		cfg:       cfg,
		sealer:    cfg.sealer,
	}
	if f.sealer == nil {
		f.sealer = cipherSealer{c: master, bound: cfg.boundValues}
	}
	if err := f.checkSteps(); err != nil {
		return nil, err
	}
	if err := f.checkEntryParams(); err != nil {
		return nil, err
	}
	if err := f.checkValueStore(); err != nil {
		return nil, err
	}
	if err := f.checkGraph(); err != nil {
		return nil, err
	}
	if err := f.checkTokenSize(); err != nil {
		return nil, err
	}
	if err := f.checkBoundValues(); err != nil {
		return nil, err
	}
	if err := cfg.checkActionURLs(); err != nil {
		return nil, err
	}
	v, err := newValidator(authToken, cfg.sig)
	if err != nil {
		return nil, err
	}
	f.validator = v
	f.states = newStateCodec(master, f.steps, f.cfg.entryParams...)
	if f.single, err = newSingleUse(f.states.cipher, &f.cfg); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Flow) checkSteps() error {
	fields := make(map[string]bool, len(f.steps))
	f.facts = make(map[string]factRef)
	for i := range f.steps {
		s := &f.steps[i]
		if err := s.normalize(); err != nil {
			return err
		}
		if _, dup := f.index[s.Name]; dup {
			return fmt.Errorf("%w: duplicate step name %q", ErrDefinition, s.Name)
		}
		if fields[s.field()] {
			return fmt.Errorf("%w: duplicate field name %q", ErrDefinition, s.field())
		}
		f.index[s.Name] = i
		fields[s.field()] = true
		for j, name := range s.Reveals {
			if _, dup := f.facts[name]; dup || !validName(name) {
				return fmt.Errorf("%w: step %q: fact %q is not a valid name or is declared twice", ErrDefinition, s.Name, name)
			}
			f.facts[name] = factRef{step: i, index: j}
		}
	}
	return nil
}

// factRef says where a fact is kept: its step, and its place among the
// step's Reveals.
type factRef struct{ step, index int }

// normalize fills defaults and reports definition errors. It runs once, in
// New, so a bad flow fails at start rather than on a call.
func (s *Step) normalize() error {
	if !validName(s.Name) {
		return fmt.Errorf("%w: step name %q must be 1 to 32 letters, digits, '-' or '_'", ErrDefinition, s.Name)
	}
	if err := s.checkInput(); err != nil {
		return err
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultGatherTimeout
	}
	if s.Timeout < time.Second {
		return fmt.Errorf("%w: step %q: timeout must be at least 1s", ErrDefinition, s.Name)
	}
	if s.Attempts == 0 {
		s.Attempts = DefaultAttempts
	}
	if s.Attempts < 1 || s.Attempts > 10 {
		return fmt.Errorf("%w: step %q: attempts must be 1 to 10", ErrDefinition, s.Name)
	}
	if len(s.Prompt) == 0 && s.PromptFor == nil {
		return fmt.Errorf("%w: step %q has no prompt", ErrDefinition, s.Name)
	}
	if err := validGatherVerbs(s.Prompt); len(s.Prompt) > 0 && err != nil {
		return fmt.Errorf("%w: step %q: prompt: %w", ErrDefinition, s.Name, err)
	}
	switch {
	case s.Next != nil && !s.Plain:
		return fmt.Errorf("%w: step %q: Next needs a Plain step (a sensitive value must not steer the call)", ErrDefinition, s.Name)
	case s.Next != nil && len(s.Targets) == 0:
		return fmt.Errorf("%w: step %q: Next without Targets: declare the steps it may choose", ErrDefinition, s.Name)
	case s.Next == nil && len(s.Targets) > 0:
		return fmt.Errorf("%w: step %q: Targets without Next", ErrDefinition, s.Name)
	case (s.Reveal != nil) != (len(s.Reveals) > 0):
		return fmt.Errorf("%w: step %q: Reveal and Reveals go together", ErrDefinition, s.Name)
	case s.Reveal != nil && s.Plain:
		return fmt.Errorf("%w: step %q: a Plain step reveals nothing: its value is in Result.Plain", ErrDefinition, s.Name)
	case len(s.Reveals) > maxReveals:
		return fmt.Errorf("%w: step %q: more than %d facts", ErrDefinition, s.Name, maxReveals)
	}
	switch s.InterruptKey {
	case "":
	case "#", "*":
		if !s.Input.keys() || s.InterruptKey == s.Digits.finishKey() {
			return fmt.Errorf("%w: step %q: the interrupt key is the finish key, or the step hears no keys", ErrDefinition, s.Name)
		}
	default:
		return fmt.Errorf("%w: step %q: interrupt key must be '*' or '#'", ErrDefinition, s.Name)
	}
	return s.checkRetries()
}

// checkInput checks the step's Digits and speech settings.
func (s *Step) checkInput() error {
	d := s.Digits
	switch {
	case s.Input > InputKeysOrSpeech:
		return fmt.Errorf("%w: step %q: unknown input %d", ErrDefinition, s.Name, s.Input)
	case d.isZero() && (s.Input.keys() || s.DigitsFor != nil):
		return fmt.Errorf("%w: step %q asks for keys without Digits: say Exactly(n) or Between(min, max)", ErrDefinition, s.Name)
	case d == noDigits:
		return fmt.Errorf("%w: step %q asks for no digits (Exactly(0))", ErrDefinition, s.Name)
	case !d.isZero() && (d.Min < 1 || d.Max < d.Min || d.Max > maxDigits):
		return fmt.Errorf("%w: step %q: digits must satisfy 1 <= min <= max <= %d", ErrDefinition, s.Name, maxDigits)
	case d.between && d.Min == d.Max:
		return fmt.Errorf("%w: step %q: Between(%d, %d) is a fixed count: say Exactly(%d)", ErrDefinition, s.Name, d.Min, d.Max, d.Min)
	}
	switch d.FinishOnKey {
	case "", "#", "*":
	default:
		return fmt.Errorf("%w: step %q: finish key must be '#' or '*'", ErrDefinition, s.Name)
	}
	if !s.Input.speech() {
		if s.MaxSpeechLen != 0 || s.Normalize != nil || s.Speech != (SpeechOptions{}) {
			return fmt.Errorf("%w: step %q: speech settings on a keys-only step", ErrDefinition, s.Name)
		}
		return nil
	}
	switch {
	case s.MaxSpeechLen < 1 || s.MaxSpeechLen > maxSpeechLen:
		return fmt.Errorf("%w: step %q: a speech step keeps 1 to %d bytes (MaxSpeechLen)", ErrDefinition, s.Name, maxSpeechLen)
	case s.Speech.PartialResultCallback != "" && !s.Plain:
		return fmt.Errorf("%w: step %q: partialResultCallback would send a sensitive transcript to another URL", ErrDefinition, s.Name)
	}
	return nil
}

// maxSpeechLen bounds what a speech step may keep of a transcript.
const maxSpeechLen = 256

// checkRetries refuses a Retry that can never be said or would say
// nothing Twilio accepts.
func (s *Step) checkRetries() error {
	for i, r := range s.Retries {
		switch {
		case r.Reason == ReasonFirst || r.Attempt == 1:
			return fmt.Errorf("%w: step %q: retry %d is keyed on the first ask, which says only the prompt", ErrDefinition, s.Name, i)
		case r.Reason != ReasonTimeout && r.Reason != ReasonInvalid && r.Reason != ReasonRejected:
			return fmt.Errorf("%w: step %q: retry %d has unknown reason %v", ErrDefinition, s.Name, i, r.Reason)
		case r.Attempt < 0 || r.Attempt > s.Attempts:
			return fmt.Errorf("%w: step %q: retry %d is keyed on attempt %d of %d", ErrDefinition, s.Name, i, r.Attempt, s.Attempts)
		case r.Err != nil && r.Reason != ReasonRejected:
			return fmt.Errorf("%w: step %q: retry %d is keyed on an error but not on ReasonRejected", ErrDefinition, s.Name, i)
		}
		if err := validGatherVerbs(r.Verbs); err != nil {
			return fmt.Errorf("%w: step %q: retry %d: %w", ErrDefinition, s.Name, i, err)
		}
	}
	return nil
}

// successor resolves a name a step gives as what follows it: a step's
// index, len(f.steps) for End, or -1.
func (f *Flow) successor(name string) int {
	if name == End {
		return len(f.steps)
	}
	if i, ok := f.index[name]; ok {
		return i
	}
	return -1
}

// edges returns the steps that may follow step i (len(f.steps) for the
// end): its Then, and a Plain step's Targets.
func (f *Flow) edges(i int) []int {
	out := []int{f.next[i]}
	for _, t := range f.steps[i].Targets {
		out = append(out, f.successor(t))
	}
	return out
}

// checkGraph resolves each step's successors and refuses a name that
// is no step, a step that no path from the first reaches, and a cycle
// that no Plain step's Next can leave: the flow could never end.
func (f *Flow) checkGraph() error {
	n := len(f.steps)
	f.next = make([]int, n)
	for i := range f.steps {
		s := &f.steps[i]
		f.next[i] = i + 1
		if s.Then != "" {
			if f.next[i] = f.successor(s.Then); f.next[i] < 0 {
				return fmt.Errorf("%w: step %q: Then names no step: %q", ErrDefinition, s.Name, s.Then)
			}
		}
		for _, t := range s.Targets {
			if f.successor(t) < 0 {
				return fmt.Errorf("%w: step %q: target %q names no step", ErrDefinition, s.Name, t)
			}
		}
	}
	reached := f.reachable([]int{0})
	for i := range f.steps {
		if !reached[i] {
			return fmt.Errorf("%w: step %q: no path reaches it", ErrDefinition, f.steps[i].Name)
		}
	}
	for i := range f.steps {
		// From a step no path leads to the end: follow it, and one of the
		// steps it leads to lies on a cycle without a way out. Name that one.
		if !f.reachable([]int{i})[n] && f.onCycle(i) {
			return fmt.Errorf("%w: step %q: a cycle that no Plain step's Next can leave", ErrDefinition, f.steps[i].Name)
		}
	}
	return nil
}

// reachable returns which steps (and, at len(f.steps), the end) a path
// from the given steps reaches, those included.
func (f *Flow) reachable(from []int) []bool {
	seen := make([]bool, len(f.steps)+1)
	for len(from) > 0 {
		i := from[len(from)-1]
		from = from[:len(from)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		if i < len(f.steps) {
			from = append(from, f.edges(i)...)
		}
	}
	return seen
}

// checkTokenSize refuses a flow that could issue a state token longer than
// maxTokenLen, counting every field at its largest. A token asking a
// step carries the fields of the steps a path leads from to it: itself
// too when it lies on a cycle.
func (f *Flow) checkTokenSize() error {
	sizes := make([]int, len(f.steps))
	for i := range f.steps {
		s := &f.steps[i]
		n := sealedLen(s, f.sealer)
		if n > maxFieldLen {
			return fmt.Errorf("%w: step %q: a sealed value of %d bytes, over the %d a state holds", ErrDefinition, s.Name, n, maxFieldLen)
		}
		sizes[i] = 2 + uvarintLen(uint64(n)) + n + factsLen(s)
	}
	header := 1 + 8 + uvarintLen(uint64(f.cfg.maxAge/time.Second)) + 1 + uvarintLen(uint64(f.cfg.maxRequests)) + 1 + f.entryLen()
	most := 0
	for asked := range f.steps {
		size := header + aescrypt.NonceSize + aescrypt.Overhead
		for i := range f.steps {
			if i == asked && !f.onCycle(i) {
				continue
			}
			if f.reachable([]int{i})[asked] {
				size += sizes[i]
			}
		}
		most = max(most, size)
	}
	if n := tokenEncoding.EncodedLen(most); n > maxTokenLen {
		return fmt.Errorf("%w: a state token of up to %d characters, over the limit of %d: ask for fewer or shorter values", ErrDefinition, n, maxTokenLen)
	}
	return nil
}

// onCycle reports whether a path leads from step i back to it.
func (f *Flow) onCycle(i int) bool {
	return f.reachable(f.edges(i))[i]
}

// SizedSealer is a Sealer that tells how long its sealed values are. New
// uses it to refuse, at start, a flow whose state tokens could outgrow
// what fits in a URL. A Sealer that does not implement it is assumed to
// seal as AES-GCM does: aescrypt.NonceSize + n + aescrypt.Overhead bytes.
// A flow fails a request, with the apology, whose sealed value is longer
// than a state token can hold (2,576 bytes).
type SizedSealer interface {
	Sealer
	// SealedLen returns the most bytes SealValue appends for an n-byte
	// value.
	SealedLen(n int) int
}

// SealedLen is the AES-GCM size of the default Sealer.
func (cipherSealer) SealedLen(n int) int { return aesSealedLen(n) }

func aesSealedLen(n int) int { return aescrypt.NonceSize + n + aescrypt.Overhead }

// sealedLen is how many bytes step's value takes in a state at most.
func sealedLen(step *Step, sealer Sealer) int {
	n := max(step.Digits.Max, step.MaxSpeechLen)
	if step.OffURL {
		return referenceLen
	}
	if step.Plain {
		return n
	}
	if s, ok := sealer.(SizedSealer); ok {
		return s.SealedLen(n)
	}
	return aesSealedLen(n)
}

// factsLen is how many bytes the facts step reveals take in a state at
// most: their length, then each fact's length and value.
func factsLen(step *Step) int {
	if len(step.Reveals) == 0 {
		return 0
	}
	return binary.MaxVarintLen16 + len(step.Reveals)*(1+MaxFactLen)
}
