package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// mode is what each unit of load is.
type mode int

const (
	modeCall  mode = iota // whole calls, every request timed
	modeFirst             // the first webhook alone
	modeLast              // the request carrying the last entry, on calls prepared beforehand
)

// plan bounds a run: it stops after calls units or once duration has
// passed, whichever comes first; units in flight finish.
type plan struct {
	mode        mode
	calls       int
	concurrency int
	duration    time.Duration
}

// run puts p's load on d and returns the record. In modeLast the calls
// are first prepared, untimed, within the plan's bounds; then their last
// requests are sent, concurrency at a time, and only those are timed.
func run(ctx context.Context, d *driver, p plan) *results {
	if p.mode == modeLast {
		return runLast(ctx, d, p)
	}
	unit := d.place
	if p.mode == modeFirst {
		unit = d.first
	}
	var started atomic.Int64
	deadline := time.Now().Add(p.duration)
	return workers(p.concurrency, func(r *results) {
		for started.Add(1) <= int64(p.calls) && time.Now().Before(deadline) && ctx.Err() == nil {
			r.add(unit(ctx))
		}
	})
}

// prepared is a call held just before its last request.
type prepared struct {
	c *call
	h *hop
}

func runLast(ctx context.Context, d *driver, p plan) *results {
	held, early := prepareCalls(ctx, d, p)
	var next atomic.Int64
	r := workers(p.concurrency, func(r *results) {
		for i := next.Add(1) - 1; i < int64(len(held)) && ctx.Err() == nil; i = next.Add(1) - 1 {
			c := held[i].c
			c.finish(ctx, held[i].h)
			r.add(c)
		}
	})
	r.merge(early)
	return r
}

// prepareCalls runs calls, untimed and within p's bounds, up to the
// request that carries the last entry, and returns them held there. The
// results record the calls that ended or failed before, with no timings.
func prepareCalls(ctx context.Context, d *driver, p plan) ([]prepared, *results) {
	var (
		mu    sync.Mutex
		held  []prepared
		count atomic.Int64
	)
	deadline := time.Now().Add(p.duration)
	early := workers(p.concurrency, func(r *results) {
		for count.Add(1) <= int64(p.calls) && time.Now().Before(deadline) && ctx.Err() == nil {
			c, h := d.prepare(ctx)
			if h == nil {
				if c.end == ended {
					c.end, c.why = wrong, "ended before the last entry"
				}
				c.steps, c.total = nil, 0 // only last requests are timed
				r.add(c)
				continue
			}
			mu.Lock()
			held = append(held, prepared{c, h})
			mu.Unlock()
		}
	})
	return held, early
}

// workers runs n copies of work, each with its own results, and merges
// them; the elapsed time is from the start to the last one done.
func workers(n int, work func(*results)) *results {
	parts := make([]*results, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range parts {
		parts[i] = &results{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(parts[i])
		}()
	}
	wg.Wait()
	all := &results{elapsed: time.Since(start)}
	for _, p := range parts {
		all.merge(p)
	}
	return all
}
