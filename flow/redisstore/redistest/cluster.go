package redistest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// clusterTimeout bounds how long a cluster may take to form: redis-cli's
// join, then every node reporting cluster_state:ok.
const clusterTimeout = 60 * time.Second

// Cluster is a Redis Cluster of masters without replicas serving one test,
// each node a redis-server process of its own.
type Cluster struct {
	// Nodes are the cluster's servers, in the order their addresses were
	// given to redis-cli; between them they hold all 16384 slots.
	Nodes []*Server

	t testing.TB
}

// NewCluster starts n redis-server processes (n is at least 3, Redis
// Cluster's minimum of masters) with cluster mode on, each on a free port
// with a free port of its own for the cluster bus (the default, port+10000,
// can be past 65535 for a high free port) and its cluster configuration
// file in its temporary directory. It joins them with redis-cli --cluster
// create, waits until every node reports cluster_state:ok with all slots
// assigned and every node known, and stops them when t ends.
//
// It skips t when redis-server (7.0 or later, for --cluster-port) or
// redis-cli is not installed, or fails it when CI is "true".
func NewCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	if n < 3 {
		t.Fatalf("redistest: a cluster needs at least 3 masters, not %d", n)
	}
	cli := lookPath(t, "redis-cli")
	needVersion(t, 7) // --cluster-port
	c := &Cluster{t: t}
	for range n {
		c.Nodes = append(c.Nodes, newServer(t, func(dir string) []string {
			_, bus, _ := net.SplitHostPort(freeAddr(t))
			return []string{
				"--cluster-enabled", "yes",
				"--cluster-port", bus,
				"--cluster-config-file", filepath.Join(dir, "nodes.conf"),
			}
		}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), clusterTimeout)
	defer cancel()
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out)
	}
	if err := c.waitOK(ctx); err != nil {
		t.Fatalf("redistest: cluster did not form: %v", err)
	}
	return c
}

// Addrs returns the nodes' addresses.
func (c *Cluster) Addrs() []string {
	addrs := make([]string, len(c.Nodes))
	for i, s := range c.Nodes {
		addrs[i] = s.Addr
	}
	return addrs
}

// NewClient returns a cluster client of c that lets context deadlines
// reach its sockets (ContextTimeoutEnabled), as redisstore requires. It is
// closed when the test ends.
func (c *Cluster) NewClient() *redis.ClusterClient {
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs(), ContextTimeoutEnabled: true})
	c.t.Cleanup(func() { cc.Close() })
	return cc
}

// waitOK polls CLUSTER INFO on every node until each reports the cluster
// ok, all slots assigned and ok, and every node known.
func (c *Cluster) waitOK(ctx context.Context) error {
	want := []string{
		"cluster_state:ok",
		"cluster_slots_assigned:16384",
		"cluster_slots_ok:16384",
		fmt.Sprintf("cluster_known_nodes:%d", len(c.Nodes)),
	}
	clients := make([]*redis.Client, len(c.Nodes))
	for i, s := range c.Nodes {
		clients[i] = redis.NewClient(&redis.Options{Addr: s.Addr})
		defer clients[i].Close()
	}
	var last string
	for {
		ok := true
		for _, cl := range clients {
			info, err := cl.ClusterInfo(ctx).Result()
			if err != nil {
				last, ok = err.Error(), false
				break
			}
			for _, w := range want {
				if !strings.Contains(info, w+"\r\n") {
					last, ok = cl.Options().Addr+" lacks "+w, false
					break
				}
			}
			if !ok {
				break
			}
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %s)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// needVersion skips t (fails it when CI is "true") unless redis-server's
// major version is at least major.
func needVersion(t testing.TB, major int) {
	t.Helper()
	out, err := exec.Command(lookPath(t, "redis-server"), "--version").Output()
	if err != nil {
		t.Fatalf("redistest: redis-server --version: %v", err)
	}
	// "Redis server v=7.0.15 sha=..."
	_, v, _ := strings.Cut(string(out), " v=")
	got, _, _ := strings.Cut(v, ".")
	if n, err := strconv.Atoi(got); err != nil || n < major {
		skipOrFail(t, fmt.Sprintf("redis-server %d.0 or later needed, found %q", major, strings.TrimSpace(string(out))))
	}
}
