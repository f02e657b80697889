package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logBuffer is a buffered log writer, flushed every interval, when full,
// and by Close. One line per request written straight to stderr is one
// write system call per request; buffered, it is one per interval. The
// cost: a crash that skips Close (SIGKILL, the OOM killer, a fatal runtime
// error) loses the lines of the last interval, at most the buffer's size.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// newLogBuffer returns a logBuffer of size bytes in front of w, flushed
// every interval until Close.
func newLogBuffer(w io.Writer, size int, interval time.Duration) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, size), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(interval)
	return b
}

// Write buffers p. A handler writes each log line in one call, so lines
// stay whole and in order.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes what is buffered.
func (b *logBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

// Close stops the timer and flushes. Writes after Close are still
// buffered, and written by the next Flush.
func (b *logBuffer) Close() error {
	select {
	case <-b.stop:
	default:
		close(b.stop)
		<-b.done
	}
	return b.Flush()
}

func (b *logBuffer) flushEvery(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush() // a log that cannot be written has nowhere to report it
		case <-b.stop:
			return
		}
	}
}
