package flow

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for a MemoryStore.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// newTestMemoryStore returns a MemoryStore of max entries on a fake clock.
func newTestMemoryStore(t testing.TB, max int) (*MemoryStore, *fakeClock) {
	t.Helper()
	m, err := NewMemoryStore(max)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	m.now = clock.now
	return m, clock
}

// testID returns a distinct TokenID for n.
func testID(n uint64) TokenID {
	var id TokenID
	binary.BigEndian.PutUint64(id[:], n)
	return id
}

// storeOp is one call on a store and what it must answer.
type storeOp struct {
	claim   bool          // Claim (true) or Save (false)
	both    bool          // ClaimSave: Claim's answer, Save's record and keep
	id      uint64        // testID(id)
	advance time.Duration // clock moved before the call
	record  string        // Save's record
	keep    time.Duration // Save's keep time; zero means an hour
	// Claim's answer; Save's and Claim's error.
	wantClaimed bool
	wantRecord  string
	wantGone    bool // Claim answers an empty, non-nil record: saved, no longer kept
	wantErr     error
}

func claimOp(id uint64, wantClaimed bool, wantRecord string) storeOp {
	return storeOp{claim: true, id: id, wantClaimed: wantClaimed, wantRecord: wantRecord}
}

func saveOp(id uint64, record string) storeOp {
	return storeOp{id: id, record: record}
}

func claimSaveOp(id uint64, record string, wantClaimed bool, wantRecord string) storeOp {
	return storeOp{both: true, id: id, record: record, wantClaimed: wantClaimed, wantRecord: wantRecord}
}

func goneOp(id uint64, advance time.Duration) storeOp {
	return storeOp{claim: true, id: id, advance: advance, wantGone: true}
}

func TestMemoryStore(t *testing.T) {
	const ttl = time.Minute
	tests := []struct {
		name string
		max  int
		ops  []storeOp
	}{
		{name: "first claim wins", max: 4, ops: []storeOp{
			claimOp(1, true, ""),
		}},
		{name: "second claim before save gets nil", max: 4, ops: []storeOp{
			claimOp(1, true, ""), claimOp(1, false, ""),
		}},
		{name: "second claim gets saved record", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "sealed-1"), claimOp(1, false, "sealed-1"), claimOp(1, false, "sealed-1"),
		}},
		{name: "ids are independent", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "sealed-1"), claimOp(2, true, ""), claimOp(1, false, "sealed-1"), claimOp(2, false, ""),
		}},
		{name: "empty record reads as saved, not kept", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, ""), goneOp(1, 0),
		}},
		{name: "record kept until its keep time", max: 4, ops: []storeOp{
			claimOp(1, true, ""), {id: 1, record: "r", keep: time.Second},
			{claim: true, id: 1, advance: time.Second - time.Nanosecond, wantRecord: "r"},
			goneOp(1, time.Nanosecond), goneOp(1, ttl-time.Second-time.Nanosecond),
			{claim: true, id: 1, advance: time.Nanosecond, wantClaimed: true},
		}},
		{name: "a later save's longer keep holds", max: 4, ops: []storeOp{
			claimOp(1, true, ""), {id: 1, record: "a", keep: time.Second}, {id: 1, record: "b", keep: 30 * time.Second},
			{claim: true, id: 1, advance: time.Second, wantRecord: "b"},
			goneOp(1, 29*time.Second),
		}},
		{name: "a reused slot's old record is not dropped for the new one", max: 1, ops: []storeOp{
			claimOp(1, true, ""), {id: 1, record: "a", keep: 30 * time.Second},
			{claim: true, id: 2, advance: ttl, wantClaimed: true}, {id: 2, record: "b", keep: time.Hour},
			{claim: true, id: 2, advance: 30 * time.Second, wantRecord: "b"},
		}},
		{name: "claim outlives a later save's keep", max: 4, ops: []storeOp{
			claimOp(1, true, ""), {id: 1, record: "a", keep: time.Minute}, {id: 1, record: "b", keep: time.Second},
			goneOp(1, time.Second),
		}},
		{name: "later save replaces record", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "a longer first record"), saveOp(1, "short"), claimOp(1, false, "short"),
		}},
		{name: "save without claim", max: 4, ops: []storeOp{
			{id: 1, record: "x", wantErr: ErrNotClaimed},
		}},
		{name: "claim lasts until ttl", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "r"),
			{claim: true, id: 1, advance: ttl - time.Nanosecond, wantRecord: "r"},
		}},
		{name: "claim expires at ttl", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "r"),
			{claim: true, id: 1, advance: ttl, wantClaimed: true},
			claimOp(1, false, ""),
		}},
		{name: "save after expiry", max: 4, ops: []storeOp{
			claimOp(1, true, ""),
			{id: 1, advance: ttl, record: "r", wantErr: ErrNotClaimed},
		}},
		{name: "full refuses", max: 2, ops: []storeOp{
			claimOp(1, true, ""), claimOp(2, true, ""),
			{claim: true, id: 3, wantErr: ErrStoreFull},
			claimOp(1, false, ""), claimOp(2, false, ""),
		}},
		{name: "full frees on expiry", max: 2, ops: []storeOp{
			claimOp(1, true, ""),
			{claim: true, id: 2, advance: ttl / 2, wantClaimed: true},
			{claim: true, id: 3, advance: ttl / 2, wantClaimed: true},
			{claim: true, id: 4, wantErr: ErrStoreFull},
			claimOp(2, false, ""),
		}},
		{name: "claim and save at once", max: 4, ops: []storeOp{
			claimSaveOp(1, "sealed-1", true, ""), claimOp(1, false, "sealed-1"),
		}},
		{name: "claim and save on a running claim saves nothing", max: 4, ops: []storeOp{
			claimOp(1, true, ""), claimSaveOp(1, "late", false, ""), claimOp(1, false, ""),
		}},
		{name: "claim and save on a saved claim answers its record", max: 4, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "first"), claimSaveOp(1, "second", false, "first"), claimOp(1, false, "first"),
		}},
		{name: "claim and save keeps the record for its keep time", max: 4, ops: []storeOp{
			{both: true, id: 1, record: "r", keep: time.Second, wantClaimed: true},
			{claim: true, id: 1, advance: time.Second - time.Nanosecond, wantRecord: "r"},
			goneOp(1, time.Nanosecond),
			{both: true, id: 1, advance: ttl - time.Second, record: "again", wantClaimed: true},
		}},
		{name: "claim and save refuses when full", max: 1, ops: []storeOp{
			claimOp(1, true, ""), {both: true, id: 2, record: "r", wantErr: ErrStoreFull},
			{claim: true, id: 2, advance: ttl, wantClaimed: true},
		}},
		{name: "reused slot starts empty", max: 1, ops: []storeOp{
			claimOp(1, true, ""), saveOp(1, "first call's record"),
			{claim: true, id: 2, advance: ttl, wantClaimed: true},
			claimOp(2, false, ""),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, clock := newTestMemoryStore(t, tt.max)
			for n, op := range tt.ops {
				clock.advance(op.advance)
				keep := op.keep
				if keep == 0 {
					keep = time.Hour
				}
				if !op.claim && !op.both {
					err := m.Save(t.Context(), testID(op.id), []byte(op.record), keep)
					if !errors.Is(err, op.wantErr) {
						t.Fatalf("op %d: Save(%d) error = %v, want %v", n, op.id, err, op.wantErr)
					}
					continue
				}
				var claimed bool
				var record []byte
				var err error
				if op.both {
					claimed, record, err = m.ClaimSave(t.Context(), testID(op.id), ttl, []byte(op.record), keep)
				} else {
					claimed, record, err = m.Claim(t.Context(), testID(op.id), ttl)
				}
				if !errors.Is(err, op.wantErr) {
					t.Fatalf("op %d: Claim(%d) error = %v, want %v", n, op.id, err, op.wantErr)
				}
				if op.wantGone {
					if claimed || record == nil || len(record) != 0 {
						t.Fatalf("op %d: Claim(%d) = %v, %q (nil %v); want saved, not kept", n, op.id, claimed, record, record == nil)
					}
					continue
				}
				if claimed != op.wantClaimed || string(record) != op.wantRecord || (op.wantRecord == "") != (record == nil) {
					t.Fatalf("op %d: Claim(%d) = %v, %q; want %v, %q", n, op.id, claimed, record, op.wantClaimed, op.wantRecord)
				}
			}
		})
	}
}

func TestMemoryStoreRejects(t *testing.T) {
	m, _ := newTestMemoryStore(t, 4)
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		call func() error
		want error // nil: any non-nil error
	}{
		{name: "zero ttl", call: func() error { _, _, err := m.Claim(t.Context(), testID(1), 0); return err }},
		{name: "negative ttl", call: func() error { _, _, err := m.Claim(t.Context(), testID(1), -time.Second); return err }},
		{name: "canceled claim", want: context.Canceled,
			call: func() error { _, _, err := m.Claim(canceled, testID(1), time.Second); return err }},
		{name: "canceled save", want: context.Canceled,
			call: func() error { return m.Save(canceled, testID(1), []byte("r"), time.Second) }},
		{name: "zero keep", call: func() error { return m.Save(t.Context(), testID(1), []byte("r"), 0) }},
		{name: "zero entries", call: func() error { _, err := NewMemoryStore(0); return err }},
		{name: "negative entries", call: func() error { _, err := NewMemoryStore(-1); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
	if n := m.Len(); n != 0 {
		t.Errorf("after refused calls, Len() = %d, want 0", n)
	}
}

// TestMemoryStoreCopies checks that the store keeps its own copy of a
// record and hands out copies, so neither side's later writes leak.
func TestMemoryStoreCopies(t *testing.T) {
	m, _ := newTestMemoryStore(t, 4)
	id := testID(1)
	if _, _, err := m.Claim(t.Context(), id, time.Minute); err != nil {
		t.Fatal(err)
	}
	rec := []byte("sealed")
	if err := m.Save(t.Context(), id, rec, time.Hour); err != nil {
		t.Fatal(err)
	}
	rec[0] = 'X'
	_, got, _ := m.Claim(t.Context(), id, time.Minute)
	if string(got) != "sealed" {
		t.Fatalf("after the caller changed its slice, record = %q, want %q", got, "sealed")
	}
	got[0] = 'Y'
	_, again, _ := m.Claim(t.Context(), id, time.Minute)
	if string(again) != "sealed" {
		t.Fatalf("after a reader changed its copy, record = %q, want %q", again, "sealed")
	}
}

// TestMemoryStoreExpiryOrder claims ids with random ttls and checks, as the
// clock moves on, that exactly the claims whose ttl has passed are gone.
func TestMemoryStoreExpiryOrder(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed))
			const n = 200
			m, clock := newTestMemoryStore(t, n)
			start := clock.t
			expires := make([]time.Time, n)
			for i := range n {
				ttl := time.Duration(1+rng.IntN(1000)) * time.Millisecond
				expires[i] = start.Add(ttl)
				if claimed, _, err := m.Claim(t.Context(), testID(uint64(i)), ttl); !claimed || err != nil {
					t.Fatalf("Claim(%d) = %v, %v", i, claimed, err)
				}
			}
			for step := 0; step <= 1000; step += 1 + rng.IntN(50) {
				clock.t = start.Add(time.Duration(step) * time.Millisecond)
				live := 0
				for i := range n {
					if expires[i].After(clock.t) {
						live++
					}
				}
				if got := m.Len(); got != live {
					t.Fatalf("at %dms: Len() = %d, want %d", step, got, live)
				}
				for i := range n {
					err := m.Save(t.Context(), testID(uint64(i)), []byte("r"), time.Hour)
					if want := expires[i].After(clock.t); want != (err == nil) {
						t.Fatalf("at %dms: Save(%d) error = %v, claim live = %v", step, i, err, want)
					}
				}
			}
		})
	}
}

// TestMemoryStoreConcurrentClaims has many goroutines claim the same ids at
// once: for each id exactly one wins, and every loser sees nil or the
// winner's record. Run it with -race.
func TestMemoryStoreConcurrentClaims(t *testing.T) {
	tests := []struct {
		name       string
		ids        int
		goroutines int
	}{
		{name: "one id", ids: 1, goroutines: 64},
		{name: "many ids", ids: 50, goroutines: 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMemoryStore(tt.ids)
			if err != nil {
				t.Fatal(err)
			}
			wins := make([]atomic.Int32, tt.ids)
			var wg sync.WaitGroup
			errs := make(chan error, tt.goroutines*tt.ids)
			for range tt.goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range tt.ids {
						id := testID(uint64(i))
						want := []byte(fmt.Sprintf("record %d", i))
						claimed, record, err := m.Claim(t.Context(), id, time.Minute)
						switch {
						case err != nil:
							errs <- err
						case claimed:
							wins[i].Add(1)
							if err := m.Save(t.Context(), id, want, time.Hour); err != nil {
								errs <- err
							}
						case record != nil && !bytes.Equal(record, want):
							errs <- fmt.Errorf("id %d: record %q, want nil or %q", i, record, want)
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
				if n := wins[i].Load(); n != 1 {
					t.Errorf("id %d claimed %d times, want once", i, n)
				}
			}
		})
	}
}

// BenchmarkMemoryStoreClaimSave is the cost single use adds to a step on
// one replica: a Claim of a new token and a Save of its sealed answer, with
// claims expiring as fast as they arrive once the store is warm.
func BenchmarkMemoryStoreClaimSave(b *testing.B) {
	const live = 4096
	m, clock := newTestMemoryStore(b, 2*live)
	record := bytes.Repeat([]byte{0xA5}, 512)
	ttl := live * time.Millisecond
	ctx := b.Context()
	var n uint64
	step := func() {
		n++
		clock.advance(time.Millisecond)
		id := testID(n)
		if claimed, _, err := m.Claim(ctx, id, ttl); !claimed || err != nil {
			b.Fatalf("Claim = %v, %v", claimed, err)
		}
		if err := m.Save(ctx, id, record, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	for range 4 * live { // warm up: every slot and record buffer in use once
		step()
	}
	b.ReportAllocs()
	for b.Loop() {
		step()
	}
}

// BenchmarkMemoryStoreReplay is the cost of a replayed or retried token: a
// Claim that finds the saved record and copies it out.
func BenchmarkMemoryStoreReplay(b *testing.B) {
	m, _ := newTestMemoryStore(b, 1)
	id := testID(1)
	ctx := b.Context()
	if _, _, err := m.Claim(ctx, id, time.Minute); err != nil {
		b.Fatal(err)
	}
	if err := m.Save(ctx, id, bytes.Repeat([]byte{0xA5}, 512), time.Hour); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if claimed, record, err := m.Claim(ctx, id, time.Minute); claimed || record == nil || err != nil {
			b.Fatalf("Claim = %v, %d bytes, %v", claimed, len(record), err)
		}
	}
}

// downStore is a ReadyStore whose server is out of reach.
type downStore struct{ *MemoryStore }

func (downStore) Ready(context.Context) error { return errors.New("dial tcp: connection refused") }

// TestFlowReady: a flow is ready with its own memory store, and reports a
// ReadyStore that is not, for a readiness probe.
func TestFlowReady(t *testing.T) {
	fx := newFixture(t)
	if err := fx.flow.Ready(t.Context()); err != nil {
		t.Errorf("memory store: %v", err)
	}
	m, err := NewMemoryStore(10)
	if err != nil {
		t.Fatal(err)
	}
	down := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(downStore{m}))
	if err := down.Ready(t.Context()); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("a store that is down: %v, want its error", err)
	}
	var nilFlow *Flow
	if err := nilFlow.Ready(t.Context()); err == nil {
		t.Error("a nil Flow is ready")
	}
}
