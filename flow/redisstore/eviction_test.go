package redisstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

// TestEvictionPolicy starts Redis with each eviction policy, and with
// CONFIG disabled or renamed: New accepts only noeviction, and only the
// caller's AssumeNoEviction where it cannot read the policy. Under the
// other policies Redis deletes claims (keys with a time to live) when
// memory runs short, and their tokens could be answered again.
func TestEvictionPolicy(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		opts    []redisstore.Option
		wantErr error    // nil: New accepts, and the store claims
		wantMsg []string // what the error must say
	}{
		{name: "default (noeviction)"},
		{name: "noeviction", args: []string{"--maxmemory-policy", "noeviction"}},
		{name: "volatile-lru", args: []string{"--maxmemory-policy", "volatile-lru"},
			wantErr: redisstore.ErrEvictionPolicy, wantMsg: []string{`"volatile-lru"`, "set maxmemory-policy noeviction"}},
		{name: "volatile-ttl", args: []string{"--maxmemory-policy", "volatile-ttl", "--maxmemory", "64mb"},
			wantErr: redisstore.ErrEvictionPolicy, wantMsg: []string{`"volatile-ttl"`}},
		{name: "allkeys-lfu", args: []string{"--maxmemory-policy", "allkeys-lfu"},
			wantErr: redisstore.ErrEvictionPolicy, wantMsg: []string{`"allkeys-lfu"`}},
		{name: "CONFIG disabled", args: []string{"--rename-command", "CONFIG", ""},
			wantErr: redisstore.ErrPolicyUnknown, wantMsg: []string{"AssumeNoEviction", "unknown command"}},
		{name: "CONFIG renamed", args: []string{"--rename-command", "CONFIG", "config-b1e7"},
			wantErr: redisstore.ErrPolicyUnknown, wantMsg: []string{"AssumeNoEviction"}},
		{name: "CONFIG disabled, AssumeNoEviction", args: []string{"--rename-command", "CONFIG", ""},
			opts: []redisstore.Option{redisstore.AssumeNoEviction()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redistest.NewServer(t, tt.args...)
			s, err := redisstore.New(srv.NewClient(), tt.opts...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("New: error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				for _, m := range tt.wantMsg {
					if !strings.Contains(err.Error(), m) {
						t.Errorf("New: error %q does not say %q", err, m)
					}
				}
				return
			}
			if claimed, _ := claim(t, s, testID(1), time.Minute); !claimed {
				t.Fatal("first Claim not claimed")
			}
		})
	}
}

// TestEvictionPolicyLater builds the store while Redis is down: New
// accepts it, and the store checks the policy before its first Claim and
// readiness check once Redis answers, refusing an evicting one then.
func TestEvictionPolicyLater(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr error
	}{
		{name: "noeviction", args: []string{"--maxmemory-policy", "noeviction"}},
		{name: "allkeys-lru", args: []string{"--maxmemory-policy", "allkeys-lru"}, wantErr: redisstore.ErrEvictionPolicy},
		{name: "CONFIG disabled", args: []string{"--rename-command", "CONFIG", ""}, wantErr: redisstore.ErrPolicyUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redistest.NewServer(t, tt.args...)
			srv.Stop()
			s := newStore(t, srv)
			if _, _, err := s.Claim(t.Context(), testID(1), time.Minute); !errors.Is(err, redisstore.ErrUnavailable) {
				t.Fatalf("Claim while Redis is down: error = %v, want %v", err, redisstore.ErrUnavailable)
			}
			srv.Start()
			// The client may take a moment to dial again.
			var err error
			waitUntil(t, func() bool {
				err = s.Ready(t.Context())
				return !errors.Is(err, redisstore.ErrUnavailable)
			})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Ready: error = %v, want %v", err, tt.wantErr)
			}
			claimed, _, err := s.Claim(t.Context(), testID(1), time.Minute)
			if !errors.Is(err, tt.wantErr) || claimed != (tt.wantErr == nil) {
				t.Fatalf("Claim = %v, %v; want claimed %v, error %v", claimed, err, tt.wantErr == nil, tt.wantErr)
			}
		})
	}
}

// TestFullRedis fills Redis's memory under noeviction (maxmemory far below
// what it uses): claims fail with ErrUnavailable, so the flow fails
// closed, and the claims made before are all still there once Redis has
// room again.
func TestFullRedis(t *testing.T) {
	srv := redistest.NewServer(t)
	admin := srv.NewClient()
	s := newStore(t, srv)
	before := testID(1)
	if claimed, _ := claim(t, s, before, time.Minute); !claimed {
		t.Fatal("first Claim not claimed")
	}
	if err := admin.ConfigSet(t.Context(), "maxmemory", "1").Err(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []flow.TokenID{testID(2), before} {
		if claimed, _, err := s.Claim(t.Context(), id, time.Minute); claimed || !errors.Is(err, redisstore.ErrUnavailable) || !strings.Contains(err.Error(), "OOM") {
			t.Fatalf("Claim in a full Redis = %v, %v; want %v for OOM", claimed, err, redisstore.ErrUnavailable)
		}
	}
	if err := admin.ConfigSet(t.Context(), "maxmemory", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if claimed, _ := claim(t, s, before, time.Minute); claimed {
		t.Fatal("a claim made before Redis was full was lost")
	}
}
