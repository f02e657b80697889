package recording

import (
	"context"
	"time"
)

// WithRetryClock replaces the clock, the sleep and the draw of a wait that
// retries use, so that tests wait for nothing and count every wait.
func WithRetryClock(now func() time.Time, sleep func(context.Context, time.Duration) error, jitter func(time.Duration) time.Duration) Option {
	return func(c *config) error {
		c.retry.now, c.retry.sleep, c.retry.jitter = now, sleep, jitter
		return nil
	}
}
