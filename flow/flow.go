package flow

import (
	"errors"
	"fmt"

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
	finish    Finish
	cfg       config
	validator *Validator
	states    stateCodec
	sealer    Sealer
	single    *singleUse
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
		steps:  append([]Step(nil), steps...),
		index:  make(map[string]int, len(steps)),
		finish: finish,
		cfg:    cfg,
		sealer: cfg.sealer,
	}
	if f.sealer == nil {
		f.sealer = cipherSealer{c: master, bound: cfg.boundValues}
	}
	if err := f.checkSteps(); err != nil {
		return nil, err
	}
	if err := checkTokenSize(f.steps, f.sealer); err != nil {
		return nil, err
	}
	if err := f.checkBoundValues(); err != nil {
		return nil, err
	}
	v, err := newValidator(authToken, cfg.sig)
	if err != nil {
		return nil, err
	}
	f.validator = v
	f.states = newStateCodec(master, f.steps)
	if f.single, err = newSingleUse(f.states.cipher, &f.cfg); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *Flow) checkSteps() error {
	fields := make(map[string]bool, len(f.steps))
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
	}
	return nil
}
