package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow"
)

// DefaultValuePrefix begins every key a ValueStore writes.
const DefaultValuePrefix = "encgather:value:"

// ValueStore is a flow.ValueStore on Redis, shared by every replica that
// uses the same Redis and prefix: the store that replicas running steps
// with flow.Step.OffURL need. Each value is a key, the prefix then the
// reference in hex, written with a time to live (SET PX) and removed with
// DEL once the call has ended. It is safe for concurrent use.
//
// What Redis keeps is sealed, as the state token would have carried it,
// but it is kept: a Redis with append-only persistence (appendonly yes)
// writes each value to its append-only file, and a deleted or expired
// value stays in that file until Redis rewrites it (BGREWRITEAOF, or
// auto-aof-rewrite-*); an RDB snapshot taken while the value lived keeps
// it too. A security code sealed there is still sealed, but PCI DSS
// forbids keeping it after authorization even so: run the Redis that
// holds values without persistence (appendonly no, save ""), which costs
// nothing but the calls in progress when it restarts: they end with the
// apology.
//
// An eviction policy other than noeviction may drop a value before the
// call ends, which also ends it with the apology (a value is never
// opened by anyone else); the store does not refuse it, as Store does.
type ValueStore struct {
	client  redis.UniversalClient
	prefix  string
	timeout time.Duration
}

var _ flow.ValueStore = (*ValueStore)(nil)

// ValueOption configures a ValueStore.
type ValueOption func(*ValueStore) error

// WithValuePrefix begins every key with prefix instead of
// DefaultValuePrefix.
func WithValuePrefix(prefix string) ValueOption {
	return func(s *ValueStore) error {
		s.prefix = prefix
		return nil
	}
}

// WithValueTimeout bounds each Put, Get and Delete by d instead of
// DefaultTimeout.
func WithValueTimeout(d time.Duration) ValueOption {
	return func(s *ValueStore) error {
		if d <= 0 {
			return errTimeout
		}
		s.timeout = d
		return nil
	}
}

// errValueTTL reports a Put without a positive time to live.
var errValueTTL = errors.New("redisstore: value ttl must be positive")

// NewValueStore returns a ValueStore on client. The caller keeps
// ownership of client and closes it. Like New, it refuses a go-redis
// client whose options leave ContextTimeoutEnabled unset.
func NewValueStore(client redis.UniversalClient, opts ...ValueOption) (*ValueStore, error) {
	if client == nil {
		return nil, errNilClient
	}
	if ignoresContextDeadlines(client) {
		return nil, errContextTimeouts
	}
	s := &ValueStore{client: client, prefix: DefaultValuePrefix, timeout: DefaultTimeout}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Put keeps sealed under ref for ttl (rounded up to a millisecond).
func (s *ValueStore) Put(ctx context.Context, ref flow.Reference, sealed []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return errValueTTL
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.Set(ctx, s.key(ref), sealed, time.Duration(milliseconds(ttl))*time.Millisecond).Err(); err != nil {
		return fmt.Errorf("%w: put: %w", ErrUnavailable, err)
	}
	return nil
}

// Get returns the value under ref, or an error wrapping
// flow.ErrValueNotFound when Redis holds none.
func (s *ValueStore) Get(ctx context.Context, ref flow.Reference) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	v, err := s.client.Get(ctx, s.key(ref)).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, fmt.Errorf("redisstore: get: %w", flow.ErrValueNotFound)
	case err != nil:
		return nil, fmt.Errorf("%w: get: %w", ErrUnavailable, err)
	}
	return v, nil
}

// Delete removes the values under refs, one key at a time (the keys may
// live on different nodes of a cluster).
func (s *ValueStore) Delete(ctx context.Context, refs ...flow.Reference) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var errs []error
	for _, ref := range refs {
		if err := s.client.Del(ctx, s.key(ref)).Err(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: delete: %w", ErrUnavailable, errors.Join(errs...))
	}
	return nil
}

// key is the Redis key of ref: the prefix, then the reference in hex.
func (s *ValueStore) key(ref flow.Reference) string { return s.prefix + ref.String() }
