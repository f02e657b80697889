package redisstore_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

// TestAutoPipelined runs the store's tests again with WithAutoPipeline:
// the same answers from one Redis shared by replicas and from a Cluster,
// every call still bounded by the store's timeout when Redis stalls
// (failing closed), and claims that survive a crash as before.
func TestAutoPipelined(t *testing.T) {
	autoPipelined = true
	t.Cleanup(func() { autoPipelined = false })
	for _, test := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"Replicas", TestReplicas},
		{"Keys", TestKeys},
		{"Expiry", TestExpiry},
		{"Slow", TestSlow},
		{"ReplicasShareRedis", TestReplicasShareRedis},
		{"RedisTrouble", TestRedisTrouble},
		{"RaceAcrossReplicas", TestRaceAcrossReplicas},
		{"Crash", TestCrash},
		{"Cluster", TestCluster},
	} {
		t.Run(test.name, test.run)
	}
}

// TestAutoPipelineClients: WithAutoPipeline takes a single server's or a
// cluster's client, and refuses a Ring, which has no autopipeliner.
func TestAutoPipelineClients(t *testing.T) {
	srv := redistest.NewServer(t)
	if _, err := redisstore.New(srv.NewClient(), redisstore.WithAutoPipeline()); err != nil {
		t.Errorf("New(*redis.Client, WithAutoPipeline()) = %v", err)
	}
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"one": srv.Addr}, ContextTimeoutEnabled: true})
	t.Cleanup(func() { ring.Close() })
	if _, err := redisstore.New(ring, redisstore.WithAutoPipeline()); err == nil {
		t.Error("New(*redis.Ring, WithAutoPipeline()) succeeded, want an error")
	}
}
