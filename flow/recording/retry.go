package recording

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// retryPolicy says how long an update waits before it tries again, and
// for how long it may go on trying.
type retryPolicy struct {
	budget     time.Duration // one update, every try and wait included
	first, max time.Duration // the first wait, and the longest

	// The clock, the sleep and the draw of a wait: replaced in tests.
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	jitter func(time.Duration) time.Duration
}

func defaultRetryPolicy() retryPolicy {
	return retryPolicy{
		budget: DefaultRetryBudget,
		first:  DefaultFirstRetryWait,
		max:    DefaultMaxRetryWait,
		now:    time.Now,
		sleep:  sleepContext,
		jitter: upperHalf,
	}
}

// wait returns the wait before retry n (1 for the first): the one
// retryAfter asks for, held within first and max, or else first doubled
// n-1 times, capped at max, and drawn by jitter.
func (p *retryPolicy) wait(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(max(retryAfter, p.first), p.max)
	}
	d := p.first
	for i := 1; i < n && d < p.max; i++ {
		d *= 2
	}
	return p.jitter(min(d, p.max))
}

// upperHalf draws a wait at random between half of d and d.
func upperHalf(d time.Duration) time.Duration {
	return d/2 + rand.N(d-d/2+1)
}

// sleepContext waits for d, or until ctx ends, returning its cause.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// retryAnswer reports whether an answer with HTTP status code refuses an
// update for now: 429 (Twilio's concurrency limit, error 20429) and 503.
func retryAnswer(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable
}

// maxRetryAfter bounds a Retry-After read before it is held within the
// policy's waits, so that no arithmetic on it overflows.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After header, seconds or an HTTP date,
// as a wait from now: 0 for none, a date past, or anything else.
func parseRetryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseUint(h, 10, 32); err == nil {
		return min(time.Duration(secs)*time.Second, maxRetryAfter)
	}
	if at, err := http.ParseTime(h); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter)
	}
	return 0
}
