package flow

import (
	"context"
	"errors"
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
