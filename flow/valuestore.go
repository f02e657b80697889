package flow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Reference names a sealed value a flow keeps in its ValueStore instead
// of the state token (Step.OffURL): 16 random bytes, which say nothing of
// the value. A state token is reissued at every request, so its own ID
// cannot name a value that must outlive it.
type Reference [referenceLen]byte

// String returns the reference in hex, as a store may key it.
func (r Reference) String() string { return hex.EncodeToString(r[:]) }

// ValueStore keeps sealed values off the action URLs of Step.OffURL steps,
// and so off Twilio's request logs: the state carries a Reference, the
// store the sealed value. A value lives for as long as the call can use it
// (the flow's max age from when it was gathered) and is deleted once the
// call has ended and the Finish, if any, has run.
//
// By default a flow has none, and New refuses an OffURL step without one
// (WithValueStore). A MemoryValueStore serves one replica: replicas
// behind a load balancer must share a store (package flow/redisstore has
// one), or the replica that ends a call would not find a value another
// gathered. Implementations must be safe for concurrent use.
type ValueStore interface {
	// Put keeps sealed under ref for ttl.
	Put(ctx context.Context, ref Reference, sealed []byte, ttl time.Duration) error
	// Get returns the value kept under ref, or an error wrapping
	// ErrValueNotFound when there is none (never put, expired, deleted).
	Get(ctx context.Context, ref Reference) ([]byte, error)
	// Delete removes the values kept under refs; a reference with no
	// value is no error.
	Delete(ctx context.Context, refs ...Reference) error
}

// ErrValueNotFound is what a ValueStore's Get wraps when it holds no value
// under a reference.
var ErrValueNotFound = errors.New("flow: no value under the reference")

// errNoValueStore is what New wraps when a step keeps its value off the
// URL and the flow has no ValueStore.
var errNoValueStore = fmt.Errorf("%w: a step with OffURL needs WithValueStore (a MemoryValueStore for one replica, a shared store such as flow/redisstore's for several)", ErrDefinition)

// WithValueStore sets where the values of Step.OffURL steps are kept.
func WithValueStore(s ValueStore) Option {
	return flowOption(func(c *config) error {
		if s == nil {
			return fmt.Errorf("%w: nil ValueStore", ErrDefinition)
		}
		c.values = s
		return nil
	})
}

// checkValueStore refuses an OffURL step without a store, and one on a
// Plain step, whose value is not sealed.
func (f *Flow) checkValueStore() error {
	for i := range f.steps {
		s := &f.steps[i]
		switch {
		case !s.OffURL:
		case s.Plain:
			return fmt.Errorf("%w: step %q: a Plain step's value is not kept off the URL", ErrDefinition, s.Name)
		case f.cfg.values == nil:
			return fmt.Errorf("step %q: %w", s.Name, errNoValueStore)
		}
	}
	return nil
}

// keepOffURL puts fl's sealed value in the flow's ValueStore and returns
// the field that carries its reference instead.
func (f *Flow) keepOffURL(ctx context.Context, fl field) (field, error) {
	var ref Reference
	rand.Read(ref[:])
	if err := f.cfg.values.Put(ctx, ref, fl.value, f.cfg.maxAge); err != nil {
		return field{}, fmt.Errorf("flow: keeping step %q's value: %w", f.steps[fl.step].Name, err)
	}
	fl.reference, fl.value = true, ref[:]
	return fl, nil
}

// valueOf returns the sealed value of fl, from the ValueStore when fl is
// a reference.
func (f *Flow) valueOf(ctx context.Context, fl field) ([]byte, error) {
	if !fl.reference {
		return fl.value, nil
	}
	if f.cfg.values == nil {
		return nil, fmt.Errorf("flow: step %q: %w", f.steps[fl.step].Name, ErrValueNotFound)
	}
	v, err := f.cfg.values.Get(ctx, Reference(fl.value))
	if err != nil {
		return nil, fmt.Errorf("flow: step %q's value: %w", f.steps[fl.step].Name, err)
	}
	return v, nil
}

// valueDeleteTimeout bounds the deletion of a call's values once it ended.
const valueDeleteTimeout = 2 * time.Second

// dropValues deletes the values fields refer to. A failure leaves them
// to expire; the value stays sealed.
func (f *Flow) dropValues(ctx context.Context, fields []field) error {
	var refs []Reference
	for _, fl := range fields {
		if fl.reference {
			refs = append(refs, Reference(fl.value))
		}
	}
	if len(refs) == 0 || f.cfg.values == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), valueDeleteTimeout)
	defer cancel()
	return f.cfg.values.Delete(ctx, refs...)
}

// MemoryValueStore is a ValueStore in this process's memory: for one
// replica. Expired values are dropped as later ones are put, at most
// once every memorySweepEvery.
type MemoryValueStore struct {
	mu        sync.Mutex
	values    map[Reference]memValue
	now       func() time.Time
	nextSweep time.Time
}

// memorySweepEvery spaces the sweeps of a MemoryValueStore, so that a
// busy store does not scan every value at every Put.
const memorySweepEvery = 10 * time.Second

type memValue struct {
	sealed  []byte
	expires time.Time
}

// NewMemoryValueStore returns an empty MemoryValueStore.
func NewMemoryValueStore() *MemoryValueStore {
	return &MemoryValueStore{values: make(map[Reference]memValue), now: time.Now}
}

// Put keeps a copy of sealed under ref for ttl.
func (m *MemoryValueStore) Put(_ context.Context, ref Reference, sealed []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("flow: memory value store: ttl must be positive")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if !now.Before(m.nextSweep) {
		m.nextSweep = now.Add(memorySweepEvery)
		for r, v := range m.values {
			if !now.Before(v.expires) {
				delete(m.values, r)
			}
		}
	}
	m.values[ref] = memValue{sealed: append([]byte(nil), sealed...), expires: now.Add(ttl)}
	return nil
}

// Get returns a copy of the value under ref.
func (m *MemoryValueStore) Get(_ context.Context, ref Reference) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[ref]
	if !ok || !m.now().Before(v.expires) {
		return nil, ErrValueNotFound
	}
	return append([]byte(nil), v.sealed...), nil
}

// Delete removes the values under refs.
func (m *MemoryValueStore) Delete(_ context.Context, refs ...Reference) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range refs {
		delete(m.values, r)
	}
	return nil
}

// Len is how many values the store holds, expired ones included until
// they are swept.
func (m *MemoryValueStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.values)
}
