package flow

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
)

// testClock is a flow clock that tests move forward; it is safe for
// concurrent use.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// logBuffer collects a flow's JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// count reports how many lines hold every one of parts.
func (l *logBuffer) count(parts ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for line := range strings.SplitSeq(l.buf.String(), "\n") {
		all := line != ""
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			n++
		}
	}
	return n
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// backendHits reports how many requests the fixture's backend has had.
func (fx *fixture) backendHits() int {
	fx.backend.mu.Lock()
	defer fx.backend.mu.Unlock()
	return len(fx.backend.bodies)
}

// resend sends a captured request again, signed as Twilio signed it, with
// edit applied to a copy of its form when edit is not nil.
func resend(h http.Handler, r *flowtest.Request, edit func(url.Values)) *httptest.ResponseRecorder {
	form := maps.Clone(r.Form)
	if edit != nil {
		edit(form)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, flowtest.NewRequest(r.Method, r.URL, form, testAuthToken))
	return rec
}

// spyStore wraps a Store, counting claims and keeping what is saved, and
// fails calls on demand.
type spyStore struct {
	Store
	claims   atomic.Int64
	claimErr atomic.Pointer[error]
	saveErr  atomic.Pointer[error]
	mu       sync.Mutex
	saved    [][]byte
}

func newSpyStore(t *testing.T) *spyStore {
	t.Helper()
	m, err := NewMemoryStore(100)
	if err != nil {
		t.Fatal(err)
	}
	return &spyStore{Store: m}
}

func (s *spyStore) Claim(ctx context.Context, id TokenID, ttl time.Duration) (bool, []byte, error) {
	s.claims.Add(1)
	if err := s.claimErr.Load(); err != nil {
		return false, nil, *err
	}
	return s.Store.Claim(ctx, id, ttl)
}

func (s *spyStore) Save(ctx context.Context, id TokenID, record []byte, keep time.Duration) error {
	if err := s.saveErr.Load(); err != nil {
		return *err
	}
	s.mu.Lock()
	s.saved = append(s.saved, bytes.Clone(record))
	s.mu.Unlock()
	return s.Store.Save(ctx, id, record, keep)
}

// blockingBackend is the tutorial's backend held at each request until
// released.
type blockingBackend struct {
	next    http.Handler
	arrived chan struct{}
	release chan struct{}
}

func (b *blockingBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.arrived <- struct{}{}
	<-b.release
	b.next.ServeHTTP(w, r)
}
