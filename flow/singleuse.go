package flow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// What single use makes of a request, as logged in the "outcome" attribute
// of its line.
const (
	outcomeReplayed    outcome = "replayed"     // the state token was used before: security event
	outcomeRetried     outcome = "retried"      // an identical retry got the saved answer again
	outcomeStoreFailed outcome = "store_failed" // the single-use store could not answer: the apology
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
		failOpen:  cfg.single.failOpen,
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
		return f.fail(d, outcomeStoreFailed, fmt.Errorf("%w: claim: %w", errStore, err)), false
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
	d.answered, d.paused, d.outcome, d.use.answer = noStep, false, outcomeRetried, answer
	return d, false
}

// replayed completes d as a refused reuse of a token. It answers no step
// and leaves the call's recording alone: the request is not the live
// call's, which may be at a sensitive step now.
func (f *Flow) replayed(d decision, err error) decision {
	d = f.fail(d, outcomeReplayed, err)
	d.answered, d.paused = noStep, false
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
