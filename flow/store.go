package flow

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"
)

// Store remembers which state tokens have been answered, so that each token
// answers once, on one replica or many.
//
// A Store keeps only what the flow hands it: a TokenID (the token's
// authentication tag, never the token) and a record the flow has already
// sealed. It never
// sees digits, tokens or readable backend answers. MemoryStore serves one
// replica; the redisstore package shares one Redis between replicas.
type Store interface {
	// Claim records id as answered for ttl. It reports claimed=true when id
	// was new. Otherwise it returns the record Save stored for id (nil while
	// the first request is still running).
	Claim(ctx context.Context, id TokenID, ttl time.Duration) (claimed bool, record []byte, err error)
	// Save stores the record (already sealed by the flow; opaque to the
	// store) for a claimed id, keeping the expiry Claim set.
	Save(ctx context.Context, id TokenID, record []byte) error
}

// TokenID identifies a state token in a store: the GCM tag that ends the
// sealed token. It is unique to the token, cannot be made without the
// state key, and is the same on every replica; it reveals nothing the
// token's URL does not already show, and the token cannot be rebuilt
// from it.
type TokenID [16]byte

// ErrStoreFull is returned by MemoryStore.Claim when every entry is in use
// and none has expired. The store refuses rather than evicts: forgetting an
// unexpired claim would let its token be replayed.
var ErrStoreFull = errors.New("flow: single-use store is full")

// ErrNotClaimed is returned by Save when the store holds no claim for the
// id: it expired, or the store lost it (a Redis restarted without
// persistence). The token it stood for is no longer protected from replay
// by that store.
var ErrNotClaimed = errors.New("flow: token not claimed in single-use store")

// errStoreTTL reports a Claim whose ttl is not positive: a caller's bug,
// since a claim that never lasts protects nothing.
var errStoreTTL = errors.New("flow: single-use store claim needs a positive ttl")

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
type MemoryStore struct {
	mu       sync.Mutex
	max      int
	slots    int // entries made so far: in index or in free
	index    map[TokenID]*memSlot
	free     []*memSlot // entries no longer in use, kept with their record's room
	byExpiry expiryHeap
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

// expiryHeap orders claims by expiry, soonest first, for container/heap,
// so that expired claims are found without scanning.
type expiryHeap []*memSlot

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(*memSlot)) }
func (h *expiryHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return s
}

// errMemoryStoreSize reports a NewMemoryStore bound that holds nothing.
var errMemoryStoreSize = errors.New("flow: memory store needs at least one entry")

// NewMemoryStore returns an empty MemoryStore holding at most maxEntries
// unexpired claims.
func NewMemoryStore(maxEntries int) (*MemoryStore, error) {
	if maxEntries < 1 {
		return nil, errMemoryStoreSize
	}
	return &MemoryStore{max: maxEntries, index: make(map[TokenID]*memSlot), now: time.Now}, nil
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
	if s, ok := m.index[id]; ok {
		return false, cloneRecord(s.record), nil
	}
	s := m.take()
	if s == nil {
		return false, nil, ErrStoreFull
	}
	s.id, s.expires, s.record = id, now.Add(ttl), s.record[:0]
	m.index[id] = s
	heap.Push(&m.byExpiry, s)
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
	s, ok := m.index[id]
	if !ok {
		return ErrNotClaimed
	}
	s.record = append(s.record[:0], record...)
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

// take returns a free entry, making one while fewer than max exist, or nil.
func (m *MemoryStore) take() *memSlot {
	if n := len(m.free); n > 0 {
		s := m.free[n-1]
		m.free = m.free[:n-1]
		return s
	}
	if m.slots >= m.max {
		return nil
	}
	m.slots++
	return new(memSlot)
}

// expire drops every claim whose expiry is not after now.
func (m *MemoryStore) expire(now time.Time) {
	for len(m.byExpiry) > 0 && !m.byExpiry[0].expires.After(now) {
		s := heap.Pop(&m.byExpiry).(*memSlot)
		delete(m.index, s.id)
		m.free = append(m.free, s)
	}
}
