package redisstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// ErrEvictionPolicy is returned when Redis runs with a maxmemory-policy
// other than noeviction. Under any other policy Redis deletes keys when it
// runs short of memory (the volatile-* policies choose among keys with a
// time to live, which every claim has), and a token whose claim was
// deleted can be answered again: its step, or the backend, runs twice.
var ErrEvictionPolicy = errors.New("redisstore: Redis may evict claims")

// ErrPolicyUnknown is returned when Redis refuses CONFIG GET, so the
// store cannot see its maxmemory-policy. Confirm the policy is noeviction
// another way and pass AssumeNoEviction.
var ErrPolicyUnknown = errors.New("redisstore: cannot read Redis's maxmemory-policy")

// policyCheck remembers whether every node's maxmemory-policy has been
// seen to be noeviction (or the caller said so with AssumeNoEviction).
type policyCheck struct {
	done atomic.Bool
}

// check reads maxmemory-policy from every node of client, once it has
// succeeded never again. A node that does not answer gives an error
// wrapping ErrUnavailable, and the next check asks again.
func (p *policyCheck) check(ctx context.Context, client redis.UniversalClient) error {
	if p.done.Load() {
		return nil
	}
	var err error
	switch c := client.(type) {
	case *redis.ClusterClient:
		// Masters and replicas: a replica that takes over keeps its own
		// policy.
		err = c.ForEachShard(ctx, checkNode)
	case *redis.Ring:
		err = checkRing(ctx, c)
	default:
		err = checkPolicy(ctx, c, "")
	}
	if err == nil {
		p.done.Store(true)
	}
	return err
}

// checkNode checks one node of a cluster or ring, naming it in errors.
func checkNode(ctx context.Context, node *redis.Client) error {
	return checkPolicy(ctx, node, " on "+node.Options().Addr)
}

// checkRing checks every shard of a ring. Ring.ForEachShard skips a shard
// it sees as down, so a ring with a shard down is not yet checked.
func checkRing(ctx context.Context, r *redis.Ring) error {
	var n atomic.Int32
	err := r.ForEachShard(ctx, func(ctx context.Context, node *redis.Client) error {
		n.Add(1)
		return checkNode(ctx, node)
	})
	if err == nil && int(n.Load()) < len(r.Options().Addrs) {
		err = fmt.Errorf("%w: maxmemory-policy: %d of %d ring shards up", ErrUnavailable, n.Load(), len(r.Options().Addrs))
	}
	return err
}

// checkPolicy reads maxmemory-policy through c and refuses anything but
// noeviction. where names the node in errors, or is empty.
func checkPolicy(ctx context.Context, c redis.Cmdable, where string) error {
	reply, err := c.ConfigGet(ctx, "maxmemory-policy").Result()
	switch {
	case err != nil && refused(err):
		return fmt.Errorf("%w%s: CONFIG GET: %w; if this Redis disables CONFIG (as managed services often do), "+
			"make sure its maxmemory-policy is noeviction and pass AssumeNoEviction", ErrPolicyUnknown, where, err)
	case err != nil:
		return fmt.Errorf("%w: CONFIG GET maxmemory-policy%s: %w", ErrUnavailable, where, err)
	}
	policy, ok := reply["maxmemory-policy"]
	switch {
	case !ok:
		return fmt.Errorf("%w%s: CONFIG GET returned no maxmemory-policy; if it is noeviction, pass AssumeNoEviction", ErrPolicyUnknown, where)
	case policy != "noeviction":
		return fmt.Errorf("%w: maxmemory-policy%s is %q, which deletes keys under memory pressure and with them claims "+
			"whose tokens could then be answered again; set maxmemory-policy noeviction", ErrEvictionPolicy, where, policy)
	}
	return nil
}

// refused reports whether err is Redis refusing the command (unknown or
// renamed, not permitted), rather than a Redis that cannot answer now (no
// connection, a timeout, a node loading its data, a cluster down, too
// many clients) or that refuses this client altogether (no or wrong
// password).
func refused(err error) bool {
	var reply redis.Error
	if !errors.As(err, &reply) {
		return false
	}
	for _, transient := range []string{
		"LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN",
		"max number of clients", "NOAUTH", "WRONGPASS",
	} {
		if redis.HasErrorPrefix(err, transient) {
			return false
		}
	}
	return true
}
