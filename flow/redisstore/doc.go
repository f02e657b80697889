// Package redisstore keeps a flow's single-use tokens in Redis, so that
// replicas sharing one Redis refuse a token any of them has answered.
//
// A Store implements flow.Store with github.com/redis/go-redis/v9; the flow
// package itself does not import go-redis. Claim is one Lua script, one
// round trip: SET key "" NX PX ttl and, when the key was already there, GET.
// Save is SET key record XX KEEPTTL. Keys are a prefix (DefaultPrefix unless
// WithPrefix says otherwise) followed by the hex of the flow.TokenID, the
// token's GCM tag: Redis never holds a token, a digit or a readable answer,
// only the records the flow has already sealed.
//
//	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
//	opt.ContextTimeoutEnabled = true // let the store's timeout reach the socket
//	store, err := redisstore.New(redis.NewClient(opt))
//
// It needs Redis 6.0 or later (KEEPTTL), and works with a single server,
// Sentinel failover and Cluster (each script touches one key).
//
// # Timeouts
//
// Every call is bounded by the store's timeout (DefaultTimeout unless
// WithTimeout says otherwise), applied through its context. go-redis honours
// a context's deadline on the socket only when the client's options set
// ContextTimeoutEnabled, so New refuses the go-redis clients that do not. A
// store that cannot answer within the bound fails with ErrUnavailable, and
// the flow fails closed.
//
// # Restarts and persistence
//
// A claim is only as durable as the Redis holding it. A Redis restarted
// without persistence (or a failover to a replica that had not yet received
// the claim) forgets the tokens answered before it: until their maximum age
// passes, each of those tokens could be answered once more, and a Save for
// a claim made before the restart fails with flow.ErrNotClaimed. The store
// itself recovers as soon as Redis answers again. Where that window matters,
// run Redis with append-only persistence (appendonly yes, with appendfsync
// always for no loss at all, or everysec for at most a second's).
package redisstore
