package redisstore_test

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

// TestCluster runs tokens' lives on a three-master Redis Cluster through
// two replicas, each with its own ClusterClient (the second told of one
// node only, and left to find the others): claim, save, retry and replay,
// for tokens whose keys live on every master. A claim is one key, so each
// script runs on the one node that owns its slot.
func TestCluster(t *testing.T) {
	cluster := redistest.NewCluster(t, 3)
	oneNode := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{cluster.Nodes[2].Addr}, ContextTimeoutEnabled: true})
	t.Cleanup(func() { oneNode.Close() })
	replicas := []*redisstore.Store{storeOn(t, cluster.NewClient()), storeOn(t, oneNode)}
	for _, s := range replicas {
		if err := s.Ready(t.Context()); err != nil {
			t.Fatalf("Ready: %v", err)
		}
	}
	ids := spreadIDs(t, cluster.NewClient(), len(cluster.Nodes))
	type op struct {
		replica int
		save    string // Save this record instead of claiming
		claimed bool   // what Claim must report
		record  string // the record Claim must return
	}
	life := []op{
		{replica: 0, claimed: true},
		{replica: 1},                        // replayed while running
		{replica: 1, save: "sealed answer"}, // saved on the other replica
		{replica: 0, record: "sealed answer"},
		{replica: 1, record: "sealed answer"},
	}
	for n, node := range cluster.Nodes {
		t.Run(fmt.Sprintf("key on master %d", n), func(t *testing.T) {
			id, ok := ids[node.Addr]
			if !ok {
				t.Fatalf("no token's key on %s; masters: %v", node.Addr, ids)
			}
			for i, o := range life {
				s := replicas[o.replica]
				if o.save != "" {
					if err := s.Save(t.Context(), id, []byte(o.save), time.Minute); err != nil {
						t.Fatalf("op %d: Save: %v", i, err)
					}
					continue
				}
				claimed, record := claim(t, s, id, time.Minute)
				if claimed != o.claimed || string(record) != o.record {
					t.Fatalf("op %d: Claim on replica %d = %v, %q; want %v, %q", i, o.replica, claimed, record, o.claimed, o.record)
				}
			}
		})
	}
	t.Run("claim and save at once", func(t *testing.T) {
		for addr, id := range ids {
			id[len(id)-1] ^= 0xff // a token of its own; the same node for most ids, any node will do
			claimed, _, err := replicas[0].ClaimSave(t.Context(), id, time.Minute, []byte("sealed "+addr), time.Minute)
			if err != nil || !claimed {
				t.Fatalf("ClaimSave on %s = %v, %v; want claimed", addr, claimed, err)
			}
			if claimed, record := claim(t, replicas[1], id, time.Minute); claimed || string(record) != "sealed "+addr {
				t.Fatalf("Claim after ClaimSave on %s = %v, %q", addr, claimed, record)
			}
		}
	})
	t.Run("unclaimed", func(t *testing.T) {
		if err := replicas[0].Save(t.Context(), testID(1<<40), []byte("r"), time.Minute); !errors.Is(err, flow.ErrNotClaimed) {
			t.Fatalf("Save of an unclaimed id: error = %v, want %v", err, flow.ErrNotClaimed)
		}
	})
}

// TestClusterEvictionPolicy sets one master of a cluster to an evicting
// policy: New refuses the cluster, naming that node.
func TestClusterEvictionPolicy(t *testing.T) {
	cluster := redistest.NewCluster(t, 3)
	node := cluster.Nodes[1]
	if err := node.NewClient().ConfigSet(t.Context(), "maxmemory-policy", "volatile-lru").Err(); err != nil {
		t.Fatal(err)
	}
	s, err := redisstore.New(cluster.NewClient())
	if !errors.Is(err, redisstore.ErrEvictionPolicy) || !strings.Contains(err.Error(), node.Addr) {
		t.Fatalf("New = %v, %v; want %v naming %s", s, err, redisstore.ErrEvictionPolicy, node.Addr)
	}
}

// spreadIDs returns, for each of the cluster's n masters by address, a
// token whose claim key that master owns.
func spreadIDs(t *testing.T, c *redis.ClusterClient, n int) map[string]flow.TokenID {
	t.Helper()
	ids := make(map[string]flow.TokenID)
	for i := uint64(1); len(ids) < n; i++ {
		if i > 1000 {
			t.Fatalf("1000 tokens cover %d of %d masters", len(ids), n)
		}
		id := testID(i)
		master, err := c.MasterForKey(t.Context(), redisstore.DefaultPrefix+"{"+hex.EncodeToString(id[:])+"}")
		if err != nil {
			t.Fatal(err)
		}
		if addr := master.Options().Addr; ids[addr] == (flow.TokenID{}) {
			ids[addr] = id
		}
	}
	return ids
}
