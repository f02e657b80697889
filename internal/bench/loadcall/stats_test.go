package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // reversed: percentile must sort
	}
	tests := []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of odd", ms(3, 1, 2), 50, 2 * time.Millisecond},
		{"p50 of 100", ms(hundred...), 50, 50 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 of 100", ms(hundred...), 100, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.ds, tt.p); got != tt.want {
				t.Fatalf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestResultsMerge(t *testing.T) {
	d := testDriver("http://127.0.0.1/", testToken)
	short := d.newCall()
	short.end, short.steps, short.total = ended, []time.Duration{1, 2}, 3
	long := d.newCall()
	long.end, long.why, long.steps, long.total = failed, "boom", []time.Duration{4, 5, 6}, 15
	a, b := &results{elapsed: time.Second}, &results{}
	a.add(short)
	b.add(long)
	a.merge(b)
	if a.calls != 2 || a.ended != 1 || a.failed != 1 || len(a.requests) != 5 || len(a.steps) != 3 ||
		len(a.steps[2]) != 1 || len(a.last) != 2 || a.last[1] != 6 || len(a.samples) != 1 || a.elapsed != time.Second {
		t.Fatalf("merged %+v", a)
	}
}
