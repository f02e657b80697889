// Package redisstore keeps a flow's single-use tokens in Redis, so that
// replicas sharing one Redis refuse a token any of them has answered.
//
// A Store implements flow.Store and flow.ClaimSaver with
// github.com/redis/go-redis/v9; the flow package itself does not import
// go-redis. Claim, ClaimSave and Save are one Lua script each, one round
// trip. A claim is a key that lives as long as its token can be answered
// (SET claim "" NX PX ttl); Save marks it saved (SET claim "1" XX
// KEEPTTL) and keeps the sealed answer under a second key for the retry
// window only (SET answer record PX keep), so the bulk of the memory is
// held for seconds, the bare claim for the token's life. ClaimSave does
// both at once for a new claim: a flow step that changes nothing outside
// its request (it gathers, seals and asks the next step) costs one round
// trip; the step that runs Finish costs two, a claim before Finish and a
// save after its answer is written.
// Keys are a prefix (DefaultPrefix unless WithPrefix says otherwise)
// followed by the hex of the flow.TokenID, the token's GCM tag, in braces
// (a Cluster hash tag, so both keys of a claim share a slot), and
// ":answer" for the record: Redis never holds a token, a digit or a
// readable answer, only the records the flow has already sealed.
//
//	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
//	opt.ContextTimeoutEnabled = true // let the store's timeout reach the socket
//	store, err := redisstore.New(redis.NewClient(opt))
//
// It needs Redis 6.0 or later (KEEPTTL), and works with a single server,
// Sentinel failover and Cluster: each script touches the two keys of one
// claim, which share a hash slot, so it runs on the node that owns it. Pass a *redis.ClusterClient for a
// cluster.
//
// # Many calls at once
//
// By default each call takes a connection from go-redis's pool and makes
// its own system calls to write the command and read the reply.
// WithAutoPipeline sends the claims and saves of concurrent requests
// through go-redis's autopipeliner instead, many to one write on a shared
// connection: with 32 or more calls at once that is worth the most of
// anything here (see the README's measurements); with 8 it made whole
// calls about a tenth slower. The store's timeout bounds it the same way.
//
// # Eviction
//
// A claim must outlive its token, so Redis must never delete one early.
// Under any maxmemory-policy but noeviction it does exactly that when
// memory runs short, and the volatile-* policies choose among keys with a
// time to live, which every claim is: a token whose claim was evicted can
// be answered again, and its step or backend run a second time. New
// therefore reads maxmemory-policy with CONFIG GET (on every master and
// replica of a cluster) and refuses anything else with ErrEvictionPolicy.
// With noeviction, a full Redis refuses every Claim instead (an OOM error,
// so ErrUnavailable): the flow fails closed, and the claims it holds stay.
//
// Managed Redis services often refuse CONFIG; New then fails with
// ErrPolicyUnknown. Check the policy in the service's settings and pass
// AssumeNoEviction, which skips the check. The check is made once: a
// policy changed later with CONFIG SET, or a node added to a cluster
// later, is not seen. New bounds it by the store's timeout; when Redis
// does not answer (it may start after the service), New succeeds and the
// check runs before the first Claim, which fails as New would have.
//
// # Timeouts and readiness
//
// Every call is bounded by the store's timeout (DefaultTimeout unless
// WithTimeout says otherwise), applied through its context. go-redis honours
// a context's deadline on the socket only when the client's options set
// ContextTimeoutEnabled, so New refuses the go-redis clients that do not. A
// store that cannot answer within the bound fails with ErrUnavailable, and
// the flow fails closed. Store.Ready answers a readiness probe within the
// same bound.
//
// # Restarts and persistence
//
// A claim is only as durable as the Redis holding it, and what Redis keeps
// across a crash depends on its persistence:
//
//   - appendonly yes with appendfsync always: Redis syncs each claim to
//     its append-only file before answering it, so a crash (even a SIGKILL
//     or a power cut, given a disk that honours fsync) loses none. Each
//     write waits for the disk.
//   - appendonly yes with appendfsync everysec (Redis's default once
//     appendonly is on): Redis syncs about once a second, so a crash loses
//     up to about a second of claims (more if the disk stalls). A clean
//     shutdown loses none.
//   - no persistence (or RDB snapshots only, which lose everything since
//     the last snapshot): a restart forgets every claim.
//
// A forgotten claim's token can be answered once more until its maximum
// age passes, and a Save for a claim made before the restart fails with
// flow.ErrNotClaimed. A failover to a replica that had not yet received a
// claim forgets it the same way. The store itself recovers as soon as
// Redis answers again.
package redisstore
