package flow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// How a request waits for the answer to an identical request that holds
// its token's claim and is still running: eight looks over two seconds.
const (
	defaultClaimPolls     = 8
	defaultClaimPollEvery = 250 * time.Millisecond
)

var (
	errReplayed   = errors.New("flow: state token already used by a different request")
	errRetryLate  = errors.New("flow: identical request after the retry window")
	errTokenBusy  = errors.New("flow: state token still being answered by another request")
	errSavedReply = errors.New("flow: saved answer does not open")
	errStore      = errors.New("flow: single-use store failed")
	errSavedSize  = errors.New("flow: answer too long to save for a retry")
)

// singleUse makes every state token answer once: it claims the token in
// the store before the step runs, and keeps the answer, sealed, for an
// identical retry.
type singleUse struct {
	store     Store
	answers   *aescrypt.Cipher // the state cipher: saved answers are state too
	window    time.Duration
	failOpen  bool
	polls     int
	pollEvery time.Duration
}

func newSingleUse(states *aescrypt.Cipher, cfg *config) (*singleUse, error) {
	if err := cfg.checkRetryWindow(); err != nil {
		return nil, err
	}
	store := cfg.single.store
	if store == nil {
		m, err := NewMemoryStore(DefaultMemoryStoreEntries)
		if err != nil {
			return nil, err
		}
		store = m
	}
	return &singleUse{
		store:     store,
		answers:   states,
		window:    cfg.single.retryWindow,
		failOpen:  cfg.single.storeFailOpen,
		polls:     defaultClaimPolls,
		pollEvery: defaultClaimPollEvery,
	}, nil
}

// tokenUse is what single use decided for one request, kept in its
// decision for the handler (which saves the answer) and the log line.
type tokenUse struct {
	id       TokenID
	request  requestHash
	now      time.Time // when the request was read: its answer's saved time
	claimed  bool      // this request holds the token's claim: its answer is saved
	answer   []byte    // a retried request's saved answer, sent again byte for byte
	storeErr error     // a store failure let through by InsecureStoreFailOpen
}

// consume claims the request's state token, opened and within its age, in
// the store. It returns d ready for the step to run and true, or the
// decision to answer with instead (a retry's saved answer, a replay's or a
// store failure's apology) and false.
func (f *Flow) consume(wh *webhook, d decision, st *state) (decision, bool) {
	u := f.single
	d.use.id = st.id
	d.use.request = hashRequest(wh)
	d.use.now = wh.now
	// The claim lasts as long as any replica, its clock up to clockSkew
	// behind, would accept the token.
	ttl := st.issuedAt.Add(f.cfg.maxAge + clockSkew).Sub(wh.now)
	claimed, saved, err := u.store.Claim(wh.ctx, d.use.id, ttl)
	for i := 0; err == nil && !claimed && saved == nil && i < u.polls; i++ {
		if !sleep(wh.ctx, u.pollEvery) {
			break
		}
		claimed, saved, err = u.store.Claim(wh.ctx, d.use.id, ttl)
		if claimed {
			// The store forgot the first request's claim while it ran.
			return f.replayed(d, errTokenBusy), false
		}
	}
	switch {
	case err != nil && u.failOpen:
		d.use.storeErr = fmt.Errorf("%w: claim: %w", errStore, err)
		return d, true
	case err != nil:
		return f.fail(d, OutcomeStoreFailed, fmt.Errorf("%w: claim: %w", errStore, err)), false
	case claimed:
		d.use.claimed = true
		return d, true
	case saved == nil:
		return f.replayed(d, errTokenBusy), false
	}
	answer, err := u.openAnswer(saved, d.use.id, d.use.request, wh.now)
	if err != nil {
		return f.replayed(d, err), false
	}
	// The first answer paused or resumed the recording already.
	d.answered, d.outcome, d.use.answer = noStep, OutcomeRetried, answer
	return d, false
}

// replayed completes d as a refused reuse of a token. It answers no step
// and leaves the call's recording alone (d.paused stays false): the
// request is not the live call's, which may be at a sensitive step now.
func (f *Flow) replayed(d decision, err error) decision {
	d = f.fail(d, OutcomeReplayed, err)
	d.answered = noStep
	return d
}

// saveAnswer keeps answer, sealed, for the token the request claimed, so
// that an identical retry gets it again. The store bounds its own time; the
// request's cancellation is ignored, since a caller that went away is the
// one most likely to retry.
func (f *Flow) saveAnswer(ctx context.Context, d *decision, answer []byte) error {
	if !d.use.claimed {
		return nil
	}
	if len(answer) > maxSavedAnswer {
		return errSavedSize
	}
	record := f.single.sealAnswer(d.use.id, d.use.request, d.use.now, answer)
	if err := f.single.store.Save(context.WithoutCancel(ctx), d.use.id, record); err != nil {
		return fmt.Errorf("%w: save: %w", errStore, err)
	}
	return nil
}

// DefaultRetryWindow is how long after a request is answered an identical
// request (a retry: Twilio sends a webhook again when the first attempt
// failed or timed out) gets the same answer instead of a refusal. It is
// Twilio's own webhook timeout.
const DefaultRetryWindow = 15 * time.Second

// DefaultMemoryStoreEntries bounds the MemoryStore a Flow makes for itself
// when no WithStore is given: enough for about 50 steps a second with the
// default maximum age, in at most about 80 MB.
const DefaultMemoryStoreEntries = 50_000

// WithStore sets where a flow records the state tokens it has answered. The
// default is a MemoryStore of DefaultMemoryStoreEntries, private to the
// Flow: it protects one replica only. Replicas behind a load balancer need
// one store they all share (package flow/redisstore), or a token answered
// by one could be replayed to another.
func WithStore(s Store) Option {
	return flowOption(func(c *config) error {
		if s == nil {
			return fmt.Errorf("%w: nil Store", ErrDefinition)
		}
		c.single.store = s
		return nil
	})
}

// WithRetryWindow sets how long after an answer an identical request gets
// the same answer again; the default is DefaultRetryWindow, or the maximum
// age if that is shorter. Zero refuses every second use of a token, retries
// included. The window cannot exceed the maximum age (WithMaxAge).
func WithRetryWindow(d time.Duration) Option {
	return flowOption(func(c *config) error {
		if d < 0 {
			return fmt.Errorf("%w: negative retry window %v", ErrDefinition, d)
		}
		c.single.retryWindow, c.single.retryWindowSet = d, true
		return nil
	})
}

// InsecureStoreFailOpen makes a flow run a step even when the single-use
// store cannot say whether the step's token was used before (the store is
// unreachable, slow past its timeout, or full), logging a warning. A replay
// may then succeed. The default fails closed: the flow apologises, ends the
// call and logs an error.
func InsecureStoreFailOpen() Option {
	return flowOption(func(c *config) error { c.single.storeFailOpen = true; return nil })
}

// singleUseConfig is what the options above set.
type singleUseConfig struct {
	store          Store         // nil: a MemoryStore of the Flow's own
	retryWindow    time.Duration // see WithRetryWindow
	retryWindowSet bool
	storeFailOpen  bool // run a step even when the store failed
}

// checkRetryWindow refuses a retry window longer than the maximum age, and
// shortens the default one to it.
func (c *config) checkRetryWindow() error {
	s := &c.single
	if !s.retryWindowSet {
		s.retryWindow = min(DefaultRetryWindow, c.maxAge)
		return nil
	}
	if s.retryWindow > c.maxAge {
		return fmt.Errorf("%w: retry window %v is longer than the max age %v", ErrDefinition, s.retryWindow, c.maxAge)
	}
	return nil
}

// sleep waits for d, or reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
