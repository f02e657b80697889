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
// sealed. It never sees digits, tokens or readable backend answers.
// MemoryStore serves one replica; the redisstore package shares one Redis
// between replicas.
//
// A claim and its record live for different times: the claim as long as
// the token could be answered (a few dozen bytes), the record only for
// the retry window (it holds the whole answer).
type Store interface {
	// Claim records id as answered until ttl has passed. It reports
	// claimed=true when id was new. Otherwise it returns the record Save
	// stored for id: nil while the first request is still running (nothing
	// saved yet), and an empty, non-nil record once the record's keep time
	// has passed (answered; its answer is no longer kept).
	Claim(ctx context.Context, id TokenID, ttl time.Duration) (claimed bool, record []byte, err error)
	// Save stores the record (already sealed by the flow; opaque to the
	// store) for a claimed id, for Claim to return until keep has passed,
	// leaving the claim's own expiry as Claim set it.
	Save(ctx context.Context, id TokenID, record []byte, keep time.Duration) error
}

// ClaimSaver is a Store that can claim a token and save its answer in
// one step, as MemoryStore and the Redis store do. A flow claims that way
// for a request that changed nothing outside itself (no Finish, no
// recording paused or resumed, no value kept off the URL), so that a
// step on a shared store costs one round trip: the store is asked once,
// before the answer is written, and a retry never finds the token
// claimed with its answer still to come.
type ClaimSaver interface {
	Store
	// ClaimSave claims id for ttl and saves record for keep with it when
	// id is new, as Claim then Save would, reporting claimed=true. When
	// id was claimed before, it saves nothing and returns what Claim
	// would.
	ClaimSave(ctx context.Context, id TokenID, ttl time.Duration, record []byte, keep time.Duration) (claimed bool, saved []byte, err error)
}

// ReadyStore is a Store that can say whether it is ready to answer, as
// the Redis store does by pinging its server: Flow.Ready asks it, for a
// service's readiness probe. A flow needs no check of its own before it
// asks a question: every request claims in the store first, a call's
// entry included, so with the store unreachable the caller hears the
// apology before any question, never after typing a secret.
type ReadyStore interface {
	Store
	// Ready returns nil when the store can answer claims now.
	Ready(ctx context.Context) error
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
// passed, and its record once its keep time has; at most maxEntries
// unexpired claims are held at once, and when all are in use Claim fails
// with ErrStoreFull rather than evict one, since evicting an unexpired
// claim would reopen its token to replay. Size it for the claims made
// within one token's life (see DefaultMemoryStoreEntries). A bare claim
// costs about 120 bytes; a record about its own size while it is kept
// (about 1 KB for an AES flow's answer, more with a post-quantum Sealer).
type MemoryStore struct {
	mu       sync.Mutex
	max      int
	slots    int // entries made so far: in index or in free
	index    map[TokenID]*memSlot
	free     []*memSlot   // entries no longer in use
	byExpiry claimHeap    // every claim, soonest expiry first
	kept     []keptRecord // saved records in the order saved, drained from kept[head]
	head     int
	spare    [][]byte // buffers of dropped records, for the next Saves
	now      func() time.Time
}

// maxSpareRecords bounds the dropped records' buffers a MemoryStore keeps
// for reuse (at most 4 KiB each): enough to save a steady rate without
// allocating, little enough that records past their keep time hold no
// real memory.
const (
	maxSpareRecords   = 1024
	maxSpareRecordCap = 4 << 10
)

// memSlot is one claim: its id, when it expires, and the record saved for
// it until recordExpires (times in Unix nanoseconds, to keep a claim
// small). gen counts the claims the slot has held, so that a record queued
// for an earlier one is not taken for the current one's.
type memSlot struct {
	id            TokenID
	expires       int64
	recordExpires int64
	record        []byte
	claimAt       int32  // position in byExpiry
	gen           uint32 // the claims this slot has held
	saved         bool   // Save ran: an empty record then means "no longer kept"
}

// keptRecord is a saved record in the queue of records to drop: its slot,
// the slot's claim it was saved for, and when its keep time ends. Records
// are queued in the order saved, which is the order their keep times end
// when every Save keeps for the same time (a flow's retry window); a
// shorter keep queued behind a longer one is dropped late, though Claim
// stops answering it on time.
type keptRecord struct {
	s       *memSlot
	gen     uint32
	expires int64
}

// claimHeap orders claims by expiry for container/heap.
type claimHeap []*memSlot

func (h claimHeap) Len() int           { return len(h) }
func (h claimHeap) Less(i, j int) bool { return h[i].expires < h[j].expires }
func (h claimHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].claimAt, h[j].claimAt = int32(i), int32(j)
}
func (h *claimHeap) Push(x any) { s := x.(*memSlot); s.claimAt = int32(len(*h)); *h = append(*h, s) }
func (h *claimHeap) Pop() any   { return popSlot((*[]*memSlot)(h)) }

// popSlot removes the last slot of a heap's slice, as heap.Pop needs.
func popSlot(h *[]*memSlot) *memSlot {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return s
}

// errMemoryStoreSize reports a NewMemoryStore bound that holds nothing.
var errMemoryStoreSize = errors.New("flow: memory store needs at least one entry")

// errStoreKeep reports a Save whose keep is not positive.
var errStoreKeep = errors.New("flow: single-use store save needs a positive keep time")

// NewMemoryStore returns an empty MemoryStore holding at most maxEntries
// unexpired claims.
func NewMemoryStore(maxEntries int) (*MemoryStore, error) {
	if maxEntries < 1 {
		return nil, errMemoryStoreSize
	}
	return &MemoryStore{max: maxEntries, index: make(map[TokenID]*memSlot), now: time.Now}, nil
}

// Claim records id as answered for ttl. It reports claimed=true when id was
// new. Otherwise it returns a copy of the record Save stored for id, nil
// while the first request is still running, or an empty record once the
// record's keep time has passed. It fails with ErrStoreFull when
// maxEntries claims are unexpired.
func (m *MemoryStore) Claim(ctx context.Context, id TokenID, ttl time.Duration) (bool, []byte, error) {
	return m.claim(ctx, id, ttl, nil, 0)
}

// ClaimSave claims id for ttl and, when it is new, saves a copy of
// record for keep with it, in one step; otherwise it saves nothing and
// answers as Claim.
func (m *MemoryStore) ClaimSave(ctx context.Context, id TokenID, ttl time.Duration, record []byte, keep time.Duration) (bool, []byte, error) {
	if keep <= 0 {
		return false, nil, errStoreKeep
	}
	return m.claim(ctx, id, ttl, record, keep)
}

// claim is Claim, and ClaimSave when keep is positive.
func (m *MemoryStore) claim(ctx context.Context, id TokenID, ttl time.Duration, record []byte, keep time.Duration) (bool, []byte, error) {
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
		if s.saved && (len(s.record) == 0 || s.recordExpires <= now.UnixNano()) {
			return false, []byte{}, nil
		}
		return false, bytes.Clone(s.record), nil
	}
	s := m.take()
	if s == nil {
		return false, nil, ErrStoreFull
	}
	*s = memSlot{id: id, expires: now.Add(ttl).UnixNano(), gen: s.gen + 1}
	m.index[id] = s
	heap.Push(&m.byExpiry, s)
	if keep > 0 {
		m.save(now, s, record, keep)
	}
	return true, nil, nil
}

// Save stores a copy of record for a claimed id, for Claim to return
// until keep has passed, keeping the claim's expiry. It fails with
// ErrNotClaimed when id has no unexpired claim.
func (m *MemoryStore) Save(ctx context.Context, id TokenID, record []byte, keep time.Duration) error {
	if keep <= 0 {
		return errStoreKeep
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.expire(now)
	s, ok := m.index[id]
	if !ok {
		return ErrNotClaimed
	}
	m.save(now, s, record, keep)
	return nil
}

// save keeps a copy of record in the claim s until keep has passed.
func (m *MemoryStore) save(now time.Time, s *memSlot, record []byte, keep time.Duration) {
	if s.record == nil && len(m.spare) > 0 {
		s.record = m.spare[len(m.spare)-1]
		m.spare = m.spare[:len(m.spare)-1]
	}
	s.record = append(s.record[:0], record...)
	s.saved, s.recordExpires = true, now.Add(keep).UnixNano()
	m.kept = append(m.kept, keptRecord{s: s, gen: s.gen, expires: s.recordExpires})
}

// Len reports how many claims the store holds that have not yet expired.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(m.now())
	return len(m.index)
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

// expire drops every record whose keep time is not after now, then every
// claim whose expiry is not, with its record.
func (m *MemoryStore) expire(t time.Time) {
	now := t.UnixNano()
	for m.head < len(m.kept) && m.kept[m.head].expires <= now {
		k := m.kept[m.head]
		m.kept[m.head] = keptRecord{}
		m.head++
		if k.s.gen == k.gen && k.s.recordExpires == k.expires {
			m.dropRecord(k.s)
		}
	}
	if m.head > len(m.kept)/2 { // reuse the queue's room once half is drained
		n := copy(m.kept, m.kept[m.head:])
		clear(m.kept[n:])
		m.kept, m.head = m.kept[:n], 0
	}
	for len(m.byExpiry) > 0 && m.byExpiry[0].expires <= now {
		s := heap.Pop(&m.byExpiry).(*memSlot)
		m.dropRecord(s)
		delete(m.index, s.id)
		s.saved = false
		m.free = append(m.free, s)
	}
}

// dropRecord lets go of s's record, the bulk of the store's memory, once
// its keep time or its claim is over: its buffer is kept for a later Save
// while there are few spare ones, and given back otherwise.
func (m *MemoryStore) dropRecord(s *memSlot) {
	if s.record != nil && cap(s.record) <= maxSpareRecordCap && len(m.spare) < maxSpareRecords {
		clear(s.record)
		m.spare = append(m.spare, s.record[:0])
	}
	s.record = nil
}
