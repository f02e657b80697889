package redisstore_test

import (
	"bytes"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/redisstore/redistest"
)

// BenchmarkClaimSave is the cost single use adds to a step with Redis on
// loopback: a Claim of a new token and a Save of its sealed answer, two
// round trips.
func BenchmarkClaimSave(b *testing.B) {
	s := newStore(b, redistest.NewServer(b))
	record := bytes.Repeat([]byte{0xA5}, 512)
	ctx := b.Context()
	var n uint64
	b.ReportAllocs()
	for b.Loop() {
		n++
		id := testID(n)
		if claimed, _, err := s.Claim(ctx, id, time.Minute); !claimed || err != nil {
			b.Fatalf("Claim = %v, %v", claimed, err)
		}
		if err := s.Save(ctx, id, record, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimSaveParallel is BenchmarkClaimSave from many goroutines on
// one client: the store's throughput rather than its latency.
func BenchmarkClaimSaveParallel(b *testing.B) {
	s := newStore(b, redistest.NewServer(b))
	record := bytes.Repeat([]byte{0xA5}, 512)
	ctx := b.Context()
	var n atomic.Uint64
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := testID(n.Add(1))
			if claimed, _, err := s.Claim(ctx, id, time.Minute); !claimed || err != nil {
				b.Errorf("Claim = %v, %v", claimed, err)
				return
			}
			if err := s.Save(ctx, id, record, time.Minute); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReplay is the cost of a replayed or retried token: one Claim
// that finds the saved record.
func BenchmarkReplay(b *testing.B) {
	s := newStore(b, redistest.NewServer(b))
	ctx := b.Context()
	id := testID(1)
	if _, _, err := s.Claim(ctx, id, time.Hour); err != nil {
		b.Fatal(err)
	}
	if err := s.Save(ctx, id, bytes.Repeat([]byte{0xA5}, 512), time.Minute); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if claimed, record, err := s.Claim(ctx, id, time.Hour); claimed || record == nil || err != nil {
			b.Fatalf("Claim = %v, %d bytes, %v", claimed, len(record), err)
		}
	}
}
