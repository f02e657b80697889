package flow

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"
)

// MemoryStore is a Store for a single replica: claims live in this process
// and are lost when it exits. It is safe for concurrent use.
//
// It is bounded in time and in size. A claim is dropped once its ttl has
// passed; at most maxEntries unexpired claims are held at once, and when
// all are in use Claim fails with ErrStoreFull rather than evict one, since
// evicting an unexpired claim would reopen its token to replay. Size it for
// the steps answered within one ttl: with the default 15-minute maximum age,
// 10 calls a second of 3 steps each need 27,000 entries. Each entry costs
// about 150 bytes plus the largest record saved in it; memory grows as
// entries are first used and is reused after they expire.
//
// Claim and Save do not allocate once the store has warmed up, except for
// the copy of a saved record that Claim returns for an id it already holds.
type MemoryStore struct {
	mu       sync.Mutex
	max      int
	index    map[TokenID]int32 // id → position in slots
	slots    []memSlot
	free     []int32 // positions in slots no longer in use
	byExpiry []int32 // a min-heap of positions in slots, soonest expiry first
	now      func() time.Time
}

// memSlot is one claim: its id, when it expires and the record saved for it
// (empty while the first request runs). The record's capacity is reused by
// the next claim to take the slot.
type memSlot struct {
	id      TokenID
	expires time.Time
	record  []byte
}

// errMemoryStoreSize reports a NewMemoryStore bound that holds nothing.
var errMemoryStoreSize = errors.New("flow: memory store needs at least one entry")

// NewMemoryStore returns an empty MemoryStore holding at most maxEntries
// unexpired claims.
func NewMemoryStore(maxEntries int) (*MemoryStore, error) {
	if maxEntries < 1 {
		return nil, errMemoryStoreSize
	}
	return &MemoryStore{max: maxEntries, index: make(map[TokenID]int32), now: time.Now}, nil
}

// Claim records id as answered for ttl. It reports claimed=true when id was
// new. Otherwise it returns a copy of the record Save stored for id, or nil
// while the first request is still running. It fails with ErrStoreFull when
// maxEntries claims are unexpired.
func (m *MemoryStore) Claim(ctx context.Context, id TokenID, ttl time.Duration) (bool, []byte, error) {
	if ttl <= 0 {
		return false, nil, errStoreTTL
	}
	if err := ctx.Err(); err != nil {
		return false, nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.expire(now)
	if i, ok := m.index[id]; ok {
		return false, cloneRecord(m.slots[i].record), nil
	}
	i, ok := m.take()
	if !ok {
		return false, nil, ErrStoreFull
	}
	s := &m.slots[i]
	s.id, s.expires, s.record = id, now.Add(ttl), s.record[:0]
	m.index[id] = i
	m.push(i)
	return true, nil, nil
}

// Save stores a copy of record for a claimed id, keeping the expiry Claim
// set. It fails with ErrNotClaimed when id has no unexpired claim. An empty
// record reads back as nil, like a request still running.
func (m *MemoryStore) Save(ctx context.Context, id TokenID, record []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(m.now())
	i, ok := m.index[id]
	if !ok {
		return ErrNotClaimed
	}
	m.slots[i].record = append(m.slots[i].record[:0], record...)
	return nil
}

// Len reports how many claims the store holds that have not yet expired.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(m.now())
	return len(m.index)
}

// cloneRecord copies a saved record for a caller, or returns nil for none.
func cloneRecord(r []byte) []byte {
	if len(r) == 0 {
		return nil
	}
	return bytes.Clone(r)
}

// take returns a free slot position, growing slots up to the bound.
func (m *MemoryStore) take() (int32, bool) {
	if n := len(m.free); n > 0 {
		i := m.free[n-1]
		m.free = m.free[:n-1]
		return i, true
	}
	if len(m.slots) >= m.max {
		return 0, false
	}
	m.slots = append(m.slots, memSlot{})
	return int32(len(m.slots) - 1), true
}

// expire drops every claim whose expiry is not after now.
func (m *MemoryStore) expire(now time.Time) {
	for len(m.byExpiry) > 0 {
		i := m.byExpiry[0]
		if m.slots[i].expires.After(now) {
			return
		}
		m.pop()
		delete(m.index, m.slots[i].id)
		m.free = append(m.free, i)
	}
}
