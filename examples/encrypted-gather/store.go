package main

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore"
)

// errEntries reports a SINGLE_USE_ENTRIES that is not a positive number.
var errEntries = errors.New("SINGLE_USE_ENTRIES is not a whole number from 1 to 100000000")

// errRedisURL reports a REDIS_URL that does not parse. It never holds the
// value, which may carry a password.
var errRedisURL = errors.New("REDIS_URL is not a redis:// or rediss:// URL")

// singleUseStore returns the store that makes each state token answer
// once: Redis when REDIS_URL is set (for example redis://localhost:6379/0),
// shared by every replica that names the same Redis, with its client for
// the caller to close; otherwise an in-memory store of this replica's own,
// holding SINGLE_USE_ENTRIES tokens (nil, the flow's default size, when
// unset). REDIS_AUTOPIPELINE=1 sends claims through go-redis's
// autopipeliner (redisstore.WithAutoPipeline), for many calls at once. A
// token's entry lives as long as the token could be answered (about
// 105 s for the tutorial's steps), so a replica answering n steps a
// second needs about 105·n entries.
func singleUseStore(lookup func(string) (string, bool)) (flow.Store, *redis.Client, error) {
	raw, _ := lookup("REDIS_URL")
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return memoryStore(lookup)
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		return nil, nil, errRedisURL
	}
	opt.ContextTimeoutEnabled = true // let the store's timeout reach the socket
	client := redis.NewClient(opt)
	var opts []redisstore.Option
	if v, _ := lookup("REDIS_AUTOPIPELINE"); strings.TrimSpace(v) == "1" {
		opts = append(opts, redisstore.WithAutoPipeline())
	}
	store, err := redisstore.New(client, opts...)
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return store, client, nil
}

// logStore says which single-use store the IVR uses and, for Redis,
// whether it answers. A Redis that does not answer yet is not fatal (it
// may start later); until it does, every step fails closed.
func logStore(ctx context.Context, logger *slog.Logger, redisClient *redis.Client) {
	if redisClient == nil {
		logger.Info("single-use store: memory, this replica only (set REDIS_URL to share one between replicas)")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := redisClient.Ping(ctx).Err(); err != nil {
		logger.Warn("single-use store: REDIS_URL does not answer; every step fails until it does", "error", err.Error())
		return
	}
	logger.Info("single-use store: redis")
}

// memoryStore is the in-memory store SINGLE_USE_ENTRIES asks for, or nil
// for the flow's default.
func memoryStore(lookup func(string) (string, bool)) (flow.Store, *redis.Client, error) {
	raw, _ := lookup("SINGLE_USE_ENTRIES")
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 100_000_000 {
		return nil, nil, errEntries
	}
	store, err := flow.NewMemoryStore(n)
	if err != nil {
		return nil, nil, err
	}
	return store, nil, nil
}
