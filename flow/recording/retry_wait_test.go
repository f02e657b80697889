package recording

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryWait(t *testing.T) {
	p := defaultRetryPolicy()
	p.first, p.max = 100*time.Millisecond, time.Second
	p.jitter = func(d time.Duration) time.Duration { return d }
	tests := []struct {
		name       string
		n          int
		retryAfter time.Duration
		want       time.Duration
	}{
		{"first retry", 1, 0, 100 * time.Millisecond},
		{"second retry", 2, 0, 200 * time.Millisecond},
		{"fourth retry", 4, 0, 800 * time.Millisecond},
		{"capped", 5, 0, time.Second},
		{"far past the cap", 1000, 0, time.Second},
		{"Retry-After", 1, 300 * time.Millisecond, 300 * time.Millisecond},
		{"Retry-After below the first wait", 3, time.Millisecond, 100 * time.Millisecond},
		{"Retry-After above the cap", 1, time.Hour, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.wait(tt.n, tt.retryAfter); got != tt.want {
				t.Errorf("wait(%d, %v) = %v, want %v", tt.n, tt.retryAfter, got, tt.want)
			}
		})
	}
}

func TestUpperHalf(t *testing.T) {
	for _, d := range []time.Duration{time.Millisecond, time.Millisecond + 1, 100 * time.Millisecond, MaxRetryWait} {
		for range 1000 {
			if got := upperHalf(d); got < d/2 || got > d {
				t.Fatalf("upperHalf(%v) = %v, not within %v to %v", d, got, d/2, d)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, header string
		want         time.Duration
	}{
		{"none", "", 0},
		{"seconds", "2", 2 * time.Second},
		{"zero", "0", 0},
		{"huge", "4294967295", maxRetryAfter},
		{"too big to read", "99999999999999999999", 0},
		{"negative", "-1", 0},
		{"fraction", "1.5", 0},
		{"date ahead", now.Add(3 * time.Second).Format(http.TimeFormat), 3 * time.Second},
		{"date past", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.header, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}
