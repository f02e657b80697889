package redisstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

func TestValueStore(t *testing.T) {
	srv := redistest.NewServer(t)
	raw := srv.NewClient()
	ref := flow.Reference{1, 2, 3}
	tests := []struct {
		name    string
		opts    []redisstore.ValueOption
		wantKey string
	}{
		{"default prefix", nil, redisstore.DefaultValuePrefix + ref.String()},
		{"own prefix", []redisstore.ValueOption{redisstore.WithValuePrefix("ivr-staging:value:")}, "ivr-staging:value:" + ref.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := redisstore.NewValueStore(srv.NewClient(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Put(t.Context(), ref, []byte("sealed"), time.Minute); err != nil {
				t.Fatal(err)
			}
			checkTTL(t, raw, tt.wantKey, time.Minute)
			if got, err := s.Get(t.Context(), ref); err != nil || string(got) != "sealed" {
				t.Fatalf("Get = %q, %v; want sealed", got, err)
			}
			if err := s.Delete(t.Context(), ref, flow.Reference{9}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(t.Context(), ref); !errors.Is(err, flow.ErrValueNotFound) {
				t.Errorf("Get after Delete: %v, want ErrValueNotFound", err)
			}
			if n, err := raw.Exists(t.Context(), tt.wantKey).Result(); err != nil || n != 0 {
				t.Errorf("key %s still exists (%d, %v)", tt.wantKey, n, err)
			}
		})
	}
}

func TestValueStoreDown(t *testing.T) {
	srv := redistest.NewServer(t)
	s, err := redisstore.NewValueStore(srv.NewClient(), redisstore.WithValueTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	if err := s.Put(t.Context(), flow.Reference{1}, []byte("sealed"), time.Minute); !errors.Is(err, redisstore.ErrUnavailable) {
		t.Errorf("Put on a stopped Redis: %v, want ErrUnavailable", err)
	}
	if err := s.Put(t.Context(), flow.Reference{1}, nil, 0); err == nil {
		t.Error("Put with no ttl accepted")
	}
}
