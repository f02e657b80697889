package flow

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/twiml"
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
	errUnusable   = errors.New("flow: a nil or zero Flow; build it with flow.New")
)

// singleUse makes every state token answer once: it claims the token in
// the store before the step runs, and keeps the answer, sealed, for an
// identical retry.
type singleUse struct {
	store         Store
	answers       *aescrypt.Cipher // the state cipher: saved answers are state too
	window        time.Duration
	failOpen      bool
	retriedFinish []twiml.Verb // nil: a retried Finish gets its saved answer
	polls         int
	pollEvery     time.Duration
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
		store:         store,
		answers:       states,
		window:        cfg.single.retryWindow,
		failOpen:      cfg.single.storeFailOpen,
		retriedFinish: cfg.single.retriedFinish,
		polls:         defaultClaimPolls,
		pollEvery:     defaultClaimPollEvery,
	}, nil
}

// tokenUse is what single use decided for one request, kept in its
// decision for the handler (which saves the answer) and the log line.
type tokenUse struct {
	id       TokenID
	request  requestHash
	now      time.Time     // when the request was read: its answer's saved time
	ttl      time.Duration // how long the claim lasts
	pending  bool          // not claimed yet: the request has changed nothing outside itself
	claimed  bool          // this request holds the token's claim: its answer is saved
	saved    bool          // its answer was saved with the claim, in one round trip
	answer   []byte        // a retried request's saved answer, sent again byte for byte
	storeErr error         // a store failure let through by InsecureStoreFailOpen
}

// reserve readies d to claim id, a token opened and within its age (or a
// call's entry, see reserveEntry), in the store until expires, the last
// moment a replica would answer it. The claim is made as late as it can
// be: by claim, just before the request first changes something outside
// itself (the recording, Finish, a value kept off the URL), or, when it
// changes nothing, by settle, together with saving its answer, in one
// round trip. Until then the step runs as if for a retry: whatever it
// decides is thrown away if the token turns out to be answered already.
func (f *Flow) reserve(wh *webhook, d *decision, id TokenID, expires time.Time) {
	d.use.id = id
	if d.use.request == (requestHash{}) { // reserveEntry has hashed it already
		d.use.request = hashRequest(wh)
	}
	d.use.now = wh.now
	// The claim lasts as long as any replica, its clock up to clockSkew
	// behind, would accept the token.
	d.use.ttl = expires.Add(clockSkew).Sub(wh.now)
	d.use.pending = true
}

// claim claims d's token, if it is not claimed yet, before the request
// changes anything outside itself. It reports false, with d replaced by
// the answer for a token answered before (a retry's saved answer, a
// replay's or a store failure's apology), when the request must go no
// further.
func (f *Flow) claim(wh *webhook, d *decision) bool {
	if !d.use.pending {
		return true
	}
	d.use.pending = false
	claimed, saved, err := f.single.store.Claim(wh.ctx, d.use.id, d.use.ttl)
	return f.claimed(wh, d, claimed, saved, err)
}

// settle claims the token of a request that changed nothing outside
// itself, once its answer is rendered: with the answer saved in the same
// round trip when the store can (a ClaimSaver) and answers are kept for
// retries. It reports false, with d replaced as claim replaces it, when
// the answer must not be sent: the caller renders d again.
func (f *Flow) settle(wh *webhook, d *decision, answer []byte) bool {
	if !d.use.pending {
		return true
	}
	d.use.pending = false
	u := f.single
	cs, ok := u.store.(ClaimSaver)
	if !ok || u.window <= 0 || len(answer) > maxSavedAnswer {
		claimed, saved, err := u.store.Claim(wh.ctx, d.use.id, d.use.ttl)
		return f.claimed(wh, d, claimed, saved, err)
	}
	record := u.sealAnswer(d.use.id, d.use.request, d.use.now, d.finished(), answer)
	claimed, saved, err := cs.ClaimSave(wh.ctx, d.use.id, d.use.ttl, record, u.window)
	d.use.saved = claimed && err == nil
	return f.claimed(wh, d, claimed, saved, err)
}

// claimed completes d with the store's answer to its claim. It reports
// true when the request holds the token (or the store failed and
// InsecureStoreFailOpen lets it go on), and false with d replaced by the
// answer to send instead: a retry's saved answer, a replay's or a store
// failure's apology.
func (f *Flow) claimed(wh *webhook, d *decision, claimed bool, saved []byte, err error) bool {
	u := f.single
	if err == nil && !claimed && saved == nil {
		// Waiting for a first request's answer counts against the budget.
		ctx, cancel := f.budget(wh)
		defer cancel()
		claimed, saved, err = f.pollClaim(ctx, d.use.id, d.use.ttl)
		if claimed {
			// The store forgot the first request's claim while it ran.
			*d = f.replayed(d.unclaimed(), errTokenBusy)
			return false
		}
	}
	switch {
	case err != nil && u.failOpen:
		d.use.storeErr = fmt.Errorf("%w: claim: %w", errStore, err)
		return true
	case err != nil:
		*d = f.fail(d.unclaimed(), OutcomeStoreFailed, fmt.Errorf("%w: claim: %w", errStore, err))
		return false
	case claimed:
		d.use.claimed = true
		return true
	case saved == nil:
		*d = f.replayed(d.unclaimed(), errTokenBusy)
		return false
	case len(saved) == 0:
		*d = f.replayed(d.unclaimed(), errRetryLate) // answered; the answer is no longer kept
		return false
	}
	answer, finished, err := u.openAnswer(saved, d.use.id, d.use.request, wh.now)
	if err != nil {
		*d = f.replayed(d.unclaimed(), err)
		return false
	}
	// The first answer paused or resumed the recording already.
	*d = d.unclaimed()
	d.answered, d.outcome = noStep, OutcomeRetried
	if finished && u.retriedFinish != nil {
		d.verbs = u.retriedFinish
		return false
	}
	d.use.answer = answer
	return false
}

// unclaimed is d as it stood before its step ran: what a request that
// does not hold its token answers from. Nothing the step decided is kept.
func (d *decision) unclaimed() decision {
	use := d.use
	use.pending, use.claimed, use.saved = false, false, false
	return decision{callSid: d.callSid, answered: d.answered, attempt: d.attempt, asked: noStep, use: use}
}

// pollClaim looks again, every pollEvery, for the answer of the request
// that holds id's claim and is still running, until it is saved, the
// looks run out or the budget ends.
func (f *Flow) pollClaim(ctx context.Context, id TokenID, ttl time.Duration) (claimed bool, saved []byte, err error) {
	u := f.single
	for i := 0; i < u.polls; i++ {
		if !sleep(ctx, u.pollEvery) {
			break
		}
		claimed, saved, err = u.store.Claim(ctx, id, ttl)
		if err != nil || claimed || saved != nil {
			break
		}
	}
	return claimed, saved, err
}

// entryDomain separates the TokenID of a call's entry from any other.
const entryDomain = "encgather flow entry v1\x00"

// reserveEntry makes a call's first request (it has no token) answer once
// too: it is claimed under a TokenID made from the request's own hash,
// which covers its signature, so Twilio's retry of it gets the first
// answer again and a later copy the apology, without asking anything or
// pausing the recording. A deliberate new entry in the same call (a Studio
// flow that loops back with its own query parameters) is signed
// differently and starts afresh. The claim lasts the flow's maximum age.
func (f *Flow) reserveEntry(wh *webhook, d *decision) {
	d.use.request = hashRequest(wh)
	var buf [len(entryDomain) + len(requestHash{})]byte
	sum := sha256.Sum256(append(append(buf[:0], entryDomain...), d.use.request[:]...))
	f.reserve(wh, d, TokenID(sum[:len(TokenID{})]), wh.now.Add(f.cfg.maxAge))
}

// replayed completes d as a refused reuse of a token. It answers no step
// and leaves the call's recording alone (d.paused stays false): the
// request is not the live call's, which may be at a sensitive step now.
func (f *Flow) replayed(d decision, err error) decision {
	d = f.fail(d, OutcomeReplayed, err)
	d.answered = noStep
	return d
}

// saveAnswer keeps answer, sealed, for the token the request claimed
// before it changed something outside itself, so that an identical retry
// gets it again within the retry window. It runs after the answer is
// written (a retry that comes first waits for it, as
// for a request still running); the request's cancellation is ignored,
// since a caller that went away is the one most likely to retry. A failed
// save leaves the token claimed: a later retry gets the apology, never a
// second run.
func (f *Flow) saveAnswer(ctx context.Context, d *decision, answer []byte) error {
	if !f.saves(d) {
		return nil
	}
	if len(answer) > maxSavedAnswer {
		return errSavedSize
	}
	record := f.single.sealAnswer(d.use.id, d.use.request, d.use.now, d.finished(), answer)
	if err := f.single.store.Save(context.WithoutCancel(ctx), d.use.id, record, f.single.window); err != nil {
		return fmt.Errorf("%w: save: %w", errStore, err)
	}
	return nil
}

// saves reports whether d's answer is to be saved for a retry once it is
// written: its request holds its token's claim, the answer was not saved
// with the claim, and retries are answered at all.
func (f *Flow) saves(d *decision) bool {
	return d.use.claimed && !d.use.saved && f.single.window > 0
}

// finished reports whether d's answer came from Finish.
func (d *decision) finished() bool {
	switch d.outcome {
	case OutcomeFinished, OutcomeDeclined, OutcomeFinishFailed:
		return true
	}
	return false
}

// DefaultRetryWindow is how long after a request is answered an identical
// request (a retry: Twilio sends a webhook again when the first attempt
// failed or timed out) gets the same answer instead of a refusal. It is
// Twilio's own webhook timeout.
const DefaultRetryWindow = 15 * time.Second

// DefaultMemoryStoreEntries bounds the MemoryStore a Flow makes for itself
// when no WithStore is given. A claim lasts its token's life (sized from
// its step: about 95 s for the tutorial's 4-digit steps with a 10 s
// timeout) plus clockSkew, so a million claims serve about 9,500 requests
// a second, more than one replica answers on a 2-core machine
// (TestMemoryStoreFlood floods it at 8,000 a second for a minute). A bare
// claim costs about 120 bytes (BenchmarkMemoryStoreFootprint), so a full
// store holds about 120 MB of claims; saved answers come on top only for
// the retry window: at r requests a second, r × 15 s × the answer's size
// (about 1 KB sealed in AES mode, 1.1 KB with X25519 values, 3.5 KB with
// ML-KEM ones, which make longer action URLs).
const DefaultMemoryStoreEntries = 1_000_000

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

// WithRetriedFinishAnswer makes an identical retry of the request that
// ran Finish get verbs instead of Finish's answer again. By default a
// retry inside the window gets the saved answer byte for byte: Twilio
// retries a webhook whose answer it did not get, and the caller must hear
// the same thing. The cost is that whoever holds a copy of that request
// (it carries Twilio's signature, so it was captured between Twilio and
// the service) also gets what Finish said, an account or a balance, until
// the window ends; these verbs (a neutral "Thank you, goodbye") close that
// at the price of a caller whose answer was lost hearing them instead.
// A <Hangup> is added if the verbs do not end the call.
func WithRetriedFinishAnswer(verbs ...twiml.Verb) Option {
	return flowOption(func(c *config) error {
		v, err := endingVerbs("retried finish answer", verbs)
		c.single.retriedFinish = v
		return err
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
	storeFailOpen  bool         // run a step even when the store failed
	retriedFinish  []twiml.Verb // nil: a retried Finish gets its saved answer
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

// Ready reports whether the flow can answer calls now: nil, or the error
// of a single-use store that can tell (a ReadyStore, such as the Redis
// store's) and is not ready. A service's readiness probe calls it, so that
// no call is sent to a replica whose shared store is out of reach.
func (f *Flow) Ready(ctx context.Context) error {
	if f.unusable() {
		return errUnusable
	}
	if rs, ok := f.single.store.(ReadyStore); ok {
		if err := rs.Ready(ctx); err != nil {
			return fmt.Errorf("%w: not ready: %w", errStore, err)
		}
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
