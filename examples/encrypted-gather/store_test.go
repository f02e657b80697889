package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
}

func TestSingleUseStoreConfig(t *testing.T) {
	tests := []struct {
		name      string
		redisURL  string
		wantRedis bool
		wantErr   error
	}{
		{"unset: memory", "", false, nil},
		{"blank: memory", "  ", false, nil},
		{"redis URL", "redis://localhost:6379/0", true, nil},
		{"not a redis URL", "http://user:s3cret@localhost:6379", false, errRedisURL},
		{"bad database", "redis://:s3cret@localhost:6379/x", false, errRedisURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, client, err := singleUseStore(env(map[string]string{"REDIS_URL": tt.redisURL}))
			if client != nil {
				defer client.Close()
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
			if (store != nil) != tt.wantRedis || (client != nil) != tt.wantRedis {
				t.Errorf("store %v, client %v; want Redis = %v", store, client, tt.wantRedis)
			}
		})
	}
}

// TestReplicasWithRedisURL runs the tutorial's call on two instances of
// the service, as main builds them with the same REDIS_URL, in turn; a
// replay of the last request to the other instance is refused. The same
// holds with REDIS_AUTOPIPELINE=1.
func TestReplicasWithRedisURL(t *testing.T) {
	for _, pipelined := range []string{"", "1"} {
		t.Run("REDIS_AUTOPIPELINE="+pipelined, func(t *testing.T) { replicasWithRedisURL(t, pipelined) })
	}
}

func replicasWithRedisURL(t *testing.T, pipelined string) {
	srv := redistest.NewServer(t)
	cfg := tutorial.Config{PublicURL: "https://ivr.example.com", AuthToken: tutorial.NewHidden("test-token"), Cipher: aescrypt.New(aescrypt.GenerateKey())}
	backend := httptest.NewServer(tutorial.Backend(cfg.Cipher))
	defer backend.Close()
	var logs bytes.Buffer
	var replicas []http.Handler
	for range 2 {
		store, client, err := singleUseStore(env(map[string]string{"REDIS_URL": "redis://" + srv.Addr + "/0", "REDIS_AUTOPIPELINE": pipelined}))
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		mux, _, err := newMux(cfg, ivrSettings{backendURL: backend.URL + tutorial.BackendPath, store: store,
			logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		replicas = append(replicas, mux)
	}
	var n atomic.Int64
	alternate := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		replicas[(n.Add(1)-1)%2].ServeHTTP(w, r)
	})

	call := flowtest.NewCaller(alternate, cfg.PublicURL+tutorial.IVRPath, cfg.AuthToken.Reveal()).Call("1234", "4321")
	if call.LastSaid() != tutorial.SaySuccess("AC12345678", "12.55") {
		t.Fatalf("call on two replicas:\n%s", call.Transcript())
	}
	last := call.Requests[len(call.Requests)-1] // served by replicas[0]
	edited := maps.Clone(last.Form)
	edited.Set("Digits", "9999")
	rec := httptest.NewRecorder()
	replicas[1].ServeHTTP(rec, flowtest.NewRequest(last.Method, last.URL, edited, cfg.AuthToken.Reveal()))
	if strings.Contains(rec.Body.String(), "Thank you") || !strings.Contains(rec.Body.String(), "<Hangup") {
		t.Errorf("replay to the other replica answered %s", rec.Body)
	}
	keys, err := srv.NewClient().Keys(t.Context(), redisstore.DefaultPrefix+"*}").Result()
	if err != nil || len(keys) != 3 {
		t.Errorf("Redis holds %d claims (%v), want 3: the call's entry and one per step", len(keys), err)
	}
}

// TestSingleUseEntries: SINGLE_USE_ENTRIES sizes this replica's memory
// store; a value that is not a sensible count stops the program.
func TestSingleUseEntries(t *testing.T) {
	tests := []struct {
		name     string
		entries  string
		wantSize int // 0: the flow's default store (nil here)
		wantErr  error
	}{
		{"unset", "", 0, nil},
		{"a count", "2", 2, nil},
		{"zero", "0", 0, errEntries},
		{"negative", "-5", 0, errEntries},
		{"not a number", "lots", 0, errEntries},
		{"too many", "100000001", 0, errEntries},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, client, err := singleUseStore(env(map[string]string{"SINGLE_USE_ENTRIES": tt.entries}))
			if client != nil {
				t.Fatal("a Redis client without REDIS_URL")
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if tt.wantSize == 0 {
				if store != nil {
					t.Fatalf("store %v, want the flow's default", store)
				}
				return
			}
			// A store of n entries takes n claims and refuses the next.
			ctx := context.Background()
			for i := range tt.wantSize + 1 {
				claimed, _, err := store.Claim(ctx, flow.TokenID{byte(i + 1)}, time.Minute)
				if i < tt.wantSize && (!claimed || err != nil) {
					t.Fatalf("claim %d: %v, %v", i, claimed, err)
				}
				if i == tt.wantSize && !errors.Is(err, flow.ErrStoreFull) {
					t.Fatalf("claim past the size: %v, %v; want ErrStoreFull", claimed, err)
				}
			}
		})
	}
}
