package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// maxSamples is how many wrong or failed calls a report describes.
const maxSamples = 5

// results is the record of a run.
type results struct {
	elapsed  time.Duration
	calls    int
	ended    int
	wrong    int
	failed   int
	requests []time.Duration   // every timed request
	perCall  []time.Duration   // every call that sent a timed request
	last     []time.Duration   // the last request of each call
	steps    [][]time.Duration // requests by their index in the call
	samples  []string          // what went wrong, for the first few calls
}

func (r *results) add(c *call) {
	r.calls++
	switch c.end {
	case ended:
		r.ended++
	case wrong:
		r.wrong++
	case failed:
		r.failed++
	}
	if c.end != ended && len(r.samples) < maxSamples {
		r.samples = append(r.samples, c.form.Get("CallSid")+": "+c.why)
	}
	if len(c.steps) == 0 {
		return
	}
	r.perCall = append(r.perCall, c.total)
	r.last = append(r.last, c.steps[len(c.steps)-1])
	r.requests = append(r.requests, c.steps...)
	for len(r.steps) < len(c.steps) {
		r.steps = append(r.steps, nil)
	}
	for i, d := range c.steps {
		r.steps[i] = append(r.steps[i], d)
	}
}

// merge adds o's calls to r; r keeps its elapsed time.
func (r *results) merge(o *results) {
	r.calls += o.calls
	r.ended += o.ended
	r.wrong += o.wrong
	r.failed += o.failed
	r.requests = append(r.requests, o.requests...)
	r.perCall = append(r.perCall, o.perCall...)
	r.last = append(r.last, o.last...)
	for len(r.steps) < len(o.steps) {
		r.steps = append(r.steps, nil)
	}
	for i, s := range o.steps {
		r.steps[i] = append(r.steps[i], s...)
	}
	for _, s := range o.samples {
		if len(r.samples) < maxSamples {
			r.samples = append(r.samples, s)
		}
	}
}

// rate is n per second of the run.
func (r *results) rate(n int) float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(n) / r.elapsed.Seconds()
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// ds, sorting it; 0 for no samples.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := int(p/100*float64(len(ds))+0.999999) - 1
	return ds[min(max(rank, 0), len(ds)-1)]
}

// writeText prints the report for people.
func (r *results) writeText(w io.Writer, p plan) {
	fmt.Fprintf(w, "%d calls in %v, %d concurrent: %.1f calls/s, %.1f requests/s\n",
		r.calls, r.elapsed.Round(time.Millisecond), p.concurrency, r.rate(r.calls), r.rate(len(r.requests)))
	fmt.Fprintf(w, "ended as expected %d, wrong ending %d, errors %d\n", r.ended, r.wrong, r.failed)
	fmt.Fprintf(w, "%-10s %8s %10s %10s\n", "latency", "count", "p50", "p99")
	line := func(name string, ds []time.Duration) {
		fmt.Fprintf(w, "%-10s %8d %10v %10v\n", name, len(ds), percentile(ds, 50).Round(time.Microsecond), percentile(ds, 99).Round(time.Microsecond))
	}
	line("request", r.requests)
	line("call", r.perCall)
	line("last", r.last)
	for i, s := range r.steps {
		line(fmt.Sprintf("request %d", i+1), s)
	}
	for _, s := range r.samples {
		fmt.Fprintln(w, "not as expected:", s)
	}
}

// writeKV prints the report as one line of name=value pairs for scripts;
// latencies are in microseconds, "last" is each call's last request.
func (r *results) writeKV(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "calls=%d ended=%d wrong=%d errors=%d seconds=%.3f calls_per_s=%.1f requests_per_s=%.1f",
		r.calls, r.ended, r.wrong, r.failed, r.elapsed.Seconds(), r.rate(r.calls), r.rate(len(r.requests)))
	us := func(d time.Duration) int64 { return d.Microseconds() }
	fmt.Fprintf(&b, " request_p50_us=%d request_p99_us=%d call_p50_us=%d call_p99_us=%d",
		us(percentile(r.requests, 50)), us(percentile(r.requests, 99)), us(percentile(r.perCall, 50)), us(percentile(r.perCall, 99)))
	fmt.Fprintf(&b, " last_p50_us=%d last_p99_us=%d", us(percentile(r.last, 50)), us(percentile(r.last, 99)))
	fmt.Fprintln(w, b.String())
}
