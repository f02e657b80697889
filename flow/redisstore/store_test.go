package redisstore_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

// testID returns a distinct TokenID for n.
func testID(n uint64) flow.TokenID {
	var id flow.TokenID
	binary.BigEndian.PutUint64(id[:], n)
	return id
}

// newStore returns a Store on its own client of srv.
func newStore(t testing.TB, srv *redistest.Server, opts ...redisstore.Option) *redisstore.Store {
	t.Helper()
	return storeOn(t, srv.NewClient(), opts...)
}

// autoPipelined makes storeOn add WithAutoPipeline, for TestAutoPipelined.
var autoPipelined bool

// storeOn returns a Store on client.
func storeOn(t testing.TB, client redis.UniversalClient, opts ...redisstore.Option) *redisstore.Store {
	t.Helper()
	if autoPipelined {
		opts = append(opts[:len(opts):len(opts)], redisstore.WithAutoPipeline())
	}
	s, err := redisstore.New(client, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// claim calls s.Claim and fails t on an error.
func claim(t *testing.T, s flow.Store, id flow.TokenID, ttl time.Duration) (bool, []byte) {
	t.Helper()
	claimed, record, err := s.Claim(t.Context(), id, ttl)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	return claimed, record
}

// TestReplicas runs one token's life across two replicas, each with its own
// client of one Redis.
func TestReplicas(t *testing.T) {
	srv := redistest.NewServer(t)
	replicas := []*redisstore.Store{newStore(t, srv), newStore(t, srv)}
	type op struct {
		replica int
		save    bool   // Save record instead of claiming
		both    bool   // ClaimSave: claim, saving record when the claim is new
		found   string // the record ClaimSave must return when the claim is not new
		record  string // Save's record, or the record Claim must return
		claimed bool   // what Claim must report
		gone    bool   // Claim must report an empty, non-nil record: saved, no longer kept
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{name: "claim here, replay there", ops: []op{
			{replica: 0, claimed: true},
			{replica: 1},
			{replica: 0},
		}},
		{name: "claim, save, retry on either", ops: []op{
			{replica: 1, claimed: true},
			{replica: 1, save: true, record: "sealed answer"},
			{replica: 0, record: "sealed answer"},
			{replica: 1, record: "sealed answer"},
		}},
		{name: "save on the other replica", ops: []op{
			{replica: 0, claimed: true},
			{replica: 1, save: true, record: "sealed answer"},
			{replica: 0, record: "sealed answer"},
		}},
		{name: "binary record", ops: []op{
			{replica: 0, claimed: true},
			{replica: 0, save: true, record: "\x00\xff\r\n\x00"},
			{replica: 1, record: "\x00\xff\r\n\x00"},
		}},
		{name: "empty record reads as saved, not kept", ops: []op{
			{replica: 0, claimed: true},
			{replica: 0, save: true, record: ""},
			{replica: 1, gone: true},
		}},
		{name: "claim and save at once, retry there", ops: []op{
			{replica: 0, both: true, record: "sealed answer", claimed: true},
			{replica: 1, record: "sealed answer"},
		}},
		{name: "claim and save on a running claim saves nothing", ops: []op{
			{replica: 0, claimed: true},
			{replica: 1, both: true, record: "late answer"},
			{replica: 1},
			{replica: 0, save: true, record: "first answer"},
			{replica: 1, record: "first answer"},
		}},
		{name: "claim and save on a saved claim answers its record", ops: []op{
			{replica: 0, claimed: true},
			{replica: 0, save: true, record: "first answer"},
			{replica: 1, both: true, record: "second answer", found: "first answer"},
			{replica: 0, record: "first answer"},
		}},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := testID(uint64(n))
			for i, o := range tt.ops {
				s := replicas[o.replica]
				if o.save {
					if err := s.Save(t.Context(), id, []byte(o.record), time.Minute); err != nil {
						t.Fatalf("op %d: Save: %v", i, err)
					}
					continue
				}
				if o.both {
					claimed, record, err := s.ClaimSave(t.Context(), id, time.Minute, []byte(o.record), time.Minute)
					if err != nil || claimed != o.claimed || string(record) != o.found || (o.found == "") != (record == nil) {
						t.Fatalf("op %d: ClaimSave on replica %d = %v, %q, %v; want %v, %q", i, o.replica, claimed, record, err, o.claimed, o.found)
					}
					continue
				}
				claimed, record := claim(t, s, id, time.Minute)
				if o.gone {
					if claimed || record == nil || len(record) != 0 {
						t.Fatalf("op %d: Claim = %v, %q (nil %v); want saved, not kept", i, claimed, record, record == nil)
					}
					continue
				}
				if claimed != o.claimed || string(record) != o.record || (o.record == "") != (record == nil) {
					t.Fatalf("op %d: Claim on replica %d = %v, %q; want %v, %q", i, o.replica, claimed, record, o.claimed, o.record)
				}
			}
		})
	}
}

// TestKeys checks the key a claim writes, its expiry, and that Save keeps
// that expiry.
func TestKeys(t *testing.T) {
	srv := redistest.NewServer(t)
	raw := srv.NewClient()
	id := testID(7)
	hexID := hex.EncodeToString(id[:])
	tests := []struct {
		name    string
		opts    []redisstore.Option
		wantKey string
	}{
		{name: "default prefix", wantKey: redisstore.DefaultPrefix + "{" + hexID + "}"},
		{name: "own prefix", opts: []redisstore.Option{redisstore.WithPrefix("ivr-staging:")}, wantKey: "ivr-staging:{" + hexID + "}"},
		{name: "empty prefix", opts: []redisstore.Option{redisstore.WithPrefix("")}, wantKey: "{" + hexID + "}"},
	}
	const ttl = time.Minute
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, srv, tt.opts...)
			if claimed, _ := claim(t, s, id, ttl); !claimed {
				t.Fatal("first Claim not claimed")
			}
			checkTTL(t, raw, tt.wantKey, ttl)
			if err := s.Save(t.Context(), id, []byte("sealed"), time.Minute); err != nil {
				t.Fatal(err)
			}
			checkTTL(t, raw, tt.wantKey, ttl)
			answerKey := tt.wantKey + ":answer"
			if got, err := raw.Get(t.Context(), answerKey).Result(); err != nil || got != "sealed" {
				t.Fatalf("GET %s = %q, %v; want %q", answerKey, got, err, "sealed")
			}
			checkTTL(t, raw, answerKey, time.Minute)
			if err := raw.Del(t.Context(), tt.wantKey, answerKey).Err(); err != nil {
				t.Fatal(err)
			}

			// ClaimSave writes the same two keys, each with its own life.
			if claimed, _, err := s.ClaimSave(t.Context(), id, ttl, []byte("sealed too"), 15*time.Second); err != nil || !claimed {
				t.Fatalf("ClaimSave = %v, %v; want claimed", claimed, err)
			}
			checkTTL(t, raw, tt.wantKey, ttl)
			checkTTL(t, raw, answerKey, 15*time.Second)
			if left := raw.PTTL(t.Context(), tt.wantKey).Val(); left <= 15*time.Second {
				t.Fatalf("claim's PTTL %v after ClaimSave, want its own ttl %v, not the record's", left, ttl)
			}
			if got, err := raw.Get(t.Context(), answerKey).Result(); err != nil || got != "sealed too" {
				t.Fatalf("GET %s = %q, %v; want %q", answerKey, got, err, "sealed too")
			}
			if err := raw.Del(t.Context(), tt.wantKey, answerKey).Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// checkTTL checks that key exists and expires within ttl.
func checkTTL(t *testing.T, c *redis.Client, key string, ttl time.Duration) {
	t.Helper()
	got, err := c.PTTL(t.Context(), key).Result()
	if err != nil || got <= 0 || got > ttl {
		t.Fatalf("PTTL %s = %v, %v; want in (0, %v]", key, got, err, ttl)
	}
}

// TestExpiry checks that a claim ends with its ttl: the token can be
// claimed again, and a Save for it fails with flow.ErrNotClaimed.
func TestExpiry(t *testing.T) {
	srv := redistest.NewServer(t)
	s := newStore(t, srv)
	tests := []struct {
		name string
		ttl  time.Duration
	}{
		{name: "milliseconds", ttl: 20 * time.Millisecond},
		{name: "under a millisecond rounds up", ttl: time.Microsecond},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := testID(uint64(n))
			if claimed, _ := claim(t, s, id, tt.ttl); !claimed {
				t.Fatal("first Claim not claimed")
			}
			waitUntil(t, func() bool {
				claimed, _ := claim(t, s, id, time.Hour)
				return claimed
			})
			if err := s.Save(t.Context(), testID(100+uint64(n)), []byte("r"), time.Minute); !errors.Is(err, flow.ErrNotClaimed) {
				t.Fatalf("Save of an unclaimed id: error = %v, want %v", err, flow.ErrNotClaimed)
			}
		})
	}
}

// waitUntil polls cond until it holds, failing t after 20 seconds: far
// more than a loaded machine needs, and no cost when cond holds at once.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRestart stops Redis in the middle of a token's life and starts it
// again on the same port without persistence: calls fail while it is down,
// the store recovers when it is back, and the claims made before are gone,
// as the package documents.
func TestRestart(t *testing.T) {
	srv := redistest.NewServer(t)
	s := newStore(t, srv)
	before, after := testID(1), testID(2)
	if claimed, _ := claim(t, s, before, time.Minute); !claimed {
		t.Fatal("first Claim not claimed")
	}

	srv.Stop()
	if _, _, err := s.Claim(t.Context(), after, time.Minute); !errors.Is(err, redisstore.ErrUnavailable) {
		t.Fatalf("Claim while Redis is down: error = %v, want %v", err, redisstore.ErrUnavailable)
	}
	if err := s.Save(t.Context(), before, []byte("sealed"), time.Minute); !errors.Is(err, redisstore.ErrUnavailable) {
		t.Fatalf("Save while Redis is down: error = %v, want %v", err, redisstore.ErrUnavailable)
	}

	srv.Start()
	if err := s.Save(t.Context(), before, []byte("sealed"), time.Minute); !errors.Is(err, flow.ErrNotClaimed) {
		t.Fatalf("Save of a claim made before the restart: error = %v, want %v", err, flow.ErrNotClaimed)
	}
	if claimed, _ := claim(t, s, after, time.Minute); !claimed {
		t.Fatal("Claim of a new id after the restart not claimed")
	}
	if claimed, _ := claim(t, s, after, time.Minute); claimed {
		t.Fatal("second Claim after the restart claimed again")
	}
	if claimed, _ := claim(t, s, before, time.Minute); !claimed {
		t.Fatal("a claim made before a restart without persistence survived it; update the package doc")
	}
}

// TestUnreachable checks that a store whose Redis does not listen fails
// with ErrUnavailable within its timeout, and that the error holds no
// record.
func TestUnreachable(t *testing.T) {
	const timeout = 200 * time.Millisecond
	client := redis.NewClient(&redis.Options{Addr: redistest.ClosedAddr(t), ContextTimeoutEnabled: true})
	t.Cleanup(func() { client.Close() })
	s, err := redisstore.New(client, redisstore.WithTimeout(timeout))
	if err != nil {
		t.Fatal(err)
	}
	const record = "sealed-record-that-must-not-leak"
	tests := []struct {
		name string
		call func(context.Context) error
	}{
		{name: "claim", call: func(ctx context.Context) error { _, _, err := s.Claim(ctx, testID(1), time.Minute); return err }},
		{name: "save", call: func(ctx context.Context) error { return s.Save(ctx, testID(1), []byte(record), time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFailsWithin(t, tt.call, 10*timeout)
		})
	}
}

// checkFailsWithin calls call and checks that it fails with ErrUnavailable,
// without a record in its message, well before bound: a call that waited
// for go-redis's own dial and read timeouts (seconds) would not.
func checkFailsWithin(t *testing.T, call func(context.Context) error, bound time.Duration) {
	t.Helper()
	start := time.Now()
	err := call(t.Context())
	elapsed := time.Since(start)
	if !errors.Is(err, redisstore.ErrUnavailable) {
		t.Fatalf("error = %v, want %v", err, redisstore.ErrUnavailable)
	}
	if strings.Contains(err.Error(), "sealed") {
		t.Fatalf("error %q holds the record", err)
	}
	if elapsed > bound {
		t.Fatalf("failed after %v, want within %v", elapsed, bound)
	}
}

// TestSlow pauses Redis longer than the store's timeout: calls fail within
// the timeout, and succeed again once Redis answers.
func TestSlow(t *testing.T) {
	const timeout = 200 * time.Millisecond
	srv := redistest.NewServer(t)
	admin := srv.NewClient()
	s := newStore(t, srv, redisstore.WithTimeout(timeout))
	if err := s.Save(t.Context(), testID(0), nil, time.Minute); !errors.Is(err, flow.ErrNotClaimed) {
		t.Fatalf("warm-up Save: error = %v, want %v", err, flow.ErrNotClaimed)
	}
	tests := []struct {
		name string
		call func(context.Context) error
	}{
		{name: "claim", call: func(ctx context.Context) error { _, _, err := s.Claim(ctx, testID(1), time.Minute); return err }},
		{name: "save", call: func(ctx context.Context) error { return s.Save(ctx, testID(1), []byte("sealed"), time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// CLIENT PAUSE WRITE holds every client's writes and scripts
			// for 5s, and lets CLIENT UNPAUSE through.
			if err := admin.Do(t.Context(), "CLIENT", "PAUSE", 5000, "WRITE").Err(); err != nil {
				t.Fatal(err)
			}
			checkFailsWithin(t, tt.call, 10*timeout)
			if err := admin.Do(t.Context(), "CLIENT", "UNPAUSE").Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
	if claimed, _ := claim(t, s, testID(2), time.Minute); !claimed {
		t.Fatal("Claim after Redis answers again not claimed")
	}
}

// TestConcurrentClaims has goroutines on two replicas claim the same ids at
// once: for each id exactly one wins. Run it with -race.
func TestConcurrentClaims(t *testing.T) {
	srv := redistest.NewServer(t)
	replicas := []*redisstore.Store{newStore(t, srv), newStore(t, srv)}
	tests := []struct {
		name       string
		ids        int
		goroutines int
	}{
		{name: "one id", ids: 1, goroutines: 32},
		{name: "many ids", ids: 20, goroutines: 8},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wins := make([]atomic.Int32, tt.ids)
			errs := make(chan error, tt.goroutines*tt.ids)
			var wg sync.WaitGroup
			for g := range tt.goroutines {
				s := replicas[g%len(replicas)]
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range tt.ids {
						claimed, _, err := s.Claim(t.Context(), testID(uint64(1000*n+i)), time.Minute)
						if err != nil {
							errs <- err
						} else if claimed {
							wins[i].Add(1)
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for i := range wins {
				if got := wins[i].Load(); got != 1 {
					t.Errorf("id %d claimed %d times, want once", i, got)
				}
			}
		})
	}
}

// TestNewRejects checks the constructor's refusals; none needs a server.
func TestNewRejects(t *testing.T) {
	deadlines := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true})
	t.Cleanup(func() { deadlines.Close() })
	tests := []struct {
		name   string
		client redis.UniversalClient
		opts   []redisstore.Option
		want   string
	}{
		{name: "nil client", want: "nil client"},
		{name: "client ignoring deadlines", client: redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), want: "ContextTimeoutEnabled"},
		{name: "cluster ignoring deadlines", client: redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}}), want: "ContextTimeoutEnabled"},
		{name: "ring ignoring deadlines", client: redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": "127.0.0.1:1"}}), want: "ContextTimeoutEnabled"},
		{name: "zero timeout", client: deadlines, opts: []redisstore.Option{redisstore.WithTimeout(0)}, want: "timeout"},
		{name: "negative timeout", client: deadlines, opts: []redisstore.Option{redisstore.WithTimeout(-time.Second)}, want: "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.client != nil && tt.client != deadlines {
				t.Cleanup(func() { tt.client.Close() })
			}
			s, err := redisstore.New(tt.client, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "redisstore: ") {
				t.Fatalf("New = %v, %v; want an error about %q", s, err, tt.want)
			}
		})
	}
	t.Run("non-positive ttl", func(t *testing.T) {
		s, err := redisstore.New(deadlines)
		if err != nil {
			t.Fatal(err)
		}
		for _, ttl := range []time.Duration{0, -time.Second} {
			if claimed, _, err := s.Claim(t.Context(), testID(1), ttl); claimed || err == nil {
				t.Errorf("Claim with ttl %v = %v, %v; want an error", ttl, claimed, err)
			}
		}
	})
}

// TestReady checks the readiness check against a Redis that is up, then
// stopped, then up again: nil, an ErrUnavailable within the timeout, nil.
func TestReady(t *testing.T) {
	const timeout = 200 * time.Millisecond
	srv := redistest.NewServer(t)
	s := newStore(t, srv, redisstore.WithTimeout(timeout))
	steps := []struct {
		name    string
		do      func()
		wantErr error
	}{
		{name: "up", do: func() {}},
		{name: "stopped", do: srv.Stop, wantErr: redisstore.ErrUnavailable},
		{name: "started again", do: srv.Start},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do()
			if st.wantErr == nil {
				// A client may need a moment to drop connections to the
				// stopped server and dial again.
				waitUntil(t, func() bool { return s.Ready(t.Context()) == nil })
				return
			}
			checkFailsWithin(t, s.Ready, 10*timeout)
		})
	}
}

// TestCrash kills Redis (SIGKILL) in the middle of a call, with one token
// answered (its record saved) and one still running (claimed, nothing
// saved), and starts it again on the same port and directory. With
// appendfsync always both claims survive, so a replay is refused; without
// persistence both are gone, as the package documents.
func TestCrash(t *testing.T) {
	tests := []struct {
		name     string
		start    func(testing.TB, ...string) *redistest.Server
		survives bool
	}{
		{name: "appendfsync always", start: redistest.NewAOFServer, survives: true},
		{name: "no persistence", start: redistest.NewServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.start(t)
			s := newStore(t, srv)
			answered, running := testID(1), testID(2)
			for _, id := range []flow.TokenID{answered, running} {
				if claimed, _ := claim(t, s, id, time.Minute); !claimed {
					t.Fatal("first Claim not claimed")
				}
			}
			if err := s.Save(t.Context(), answered, []byte("sealed"), time.Minute); err != nil {
				t.Fatal(err)
			}

			srv.Kill()
			srv.Start()
			waitUntil(t, func() bool { return s.Ready(t.Context()) == nil })

			claimed, record := claim(t, s, answered, time.Minute)
			if tt.survives && (claimed || string(record) != "sealed") {
				t.Fatalf("answered token after the crash: Claim = %v, %q; want false, %q", claimed, record, "sealed")
			}
			if !tt.survives && !claimed {
				t.Fatal("a claim survived a crash without persistence; update the package doc")
			}
			err := s.Save(t.Context(), running, []byte("sealed later"), time.Minute)
			if tt.survives && err != nil {
				t.Fatalf("Save of the running token after the crash: %v", err)
			}
			if !tt.survives && !errors.Is(err, flow.ErrNotClaimed) {
				t.Fatalf("Save of the running token after the crash: error = %v, want %v", err, flow.ErrNotClaimed)
			}
		})
	}
}

// TestRecordKeptForItsKeepTime: a saved record is kept only for its keep
// time, while the bare claim lives on: a claim then answers "saved, no
// longer kept", and the record's key is gone from Redis.
func TestRecordKeptForItsKeepTime(t *testing.T) {
	srv := redistest.NewServer(t)
	s := newStore(t, srv)
	raw := srv.NewClient()
	id := testID(42)
	if claimed, _ := claim(t, s, id, time.Minute); !claimed {
		t.Fatal("first Claim not claimed")
	}
	if err := s.Save(t.Context(), id, []byte("sealed"), 150*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, record := claim(t, s, id, time.Minute); string(record) != "sealed" {
		t.Fatalf("within the keep time: %q, want the record", record)
	}
	hexID := hex.EncodeToString(id[:])
	waitUntil(t, func() bool {
		n, err := raw.Exists(t.Context(), redisstore.DefaultPrefix+"{"+hexID+"}:answer").Result()
		return err == nil && n == 0
	})
	claimed, record := claim(t, s, id, time.Minute)
	if claimed || record == nil || len(record) != 0 {
		t.Fatalf("after the keep time: %v, %q (nil %v); want saved, not kept", claimed, record, record == nil)
	}
	checkTTL(t, raw, redisstore.DefaultPrefix+"{"+hexID+"}", time.Minute)
}
