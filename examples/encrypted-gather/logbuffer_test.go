package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the flushing goroutine, which
// reports each write on wrote.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.wrote <- struct{}{}:
	default:
	}
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func TestLogBuffer(t *testing.T) {
	const line = "level=INFO msg=\"flow request\"\n"
	tests := []struct {
		name  string
		size  int
		write int // lines
		act   func(*logBuffer)
		want  int // lines through
	}{
		{"held until flushed", 1024, 3, func(*logBuffer) {}, 0},
		{"Flush writes all", 1024, 3, func(b *logBuffer) { b.Flush() }, 3},
		{"Close writes all", 1024, 3, func(b *logBuffer) { b.Close() }, 3},
		{"Close twice", 1024, 1, func(b *logBuffer) { b.Close(); b.Close() }, 1},
		{"a full buffer is written", 2 * len(line), 5, func(*logBuffer) {}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &syncBuffer{wrote: make(chan struct{}, 1)}
			b := newLogBuffer(out, tt.size, time.Hour)
			defer b.Close()
			for range tt.write {
				b.Write([]byte(line))
			}
			tt.act(b)
			if got := strings.Count(out.String(), line); got != tt.want {
				t.Fatalf("%d lines written, want %d", got, tt.want)
			}
		})
	}
}

func TestLogBufferFlushesOnTimer(t *testing.T) {
	out := &syncBuffer{wrote: make(chan struct{}, 1)}
	b := newLogBuffer(out, 1024, time.Millisecond)
	defer b.Close()
	b.Write([]byte("line\n"))
	select {
	case <-out.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing flushed")
	}
	if got := out.String(); got != "line\n" {
		t.Fatalf("flushed %q", got)
	}
}
