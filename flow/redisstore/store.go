package redisstore

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow"
)

// ErrUnavailable is returned when Redis does not answer within the store's
// timeout or answers with an error. The error wraps the cause; it never
// holds a record.
var ErrUnavailable = errors.New("redisstore: store unavailable")

var (
	errNilClient       = errors.New("redisstore: nil client")
	errContextTimeouts = errors.New("redisstore: client ignores context deadlines; set ContextTimeoutEnabled in its options")
	errTTL             = errors.New("redisstore: claim needs a positive ttl")
	errKeep            = errors.New("redisstore: save needs a positive keep time")
	errAutoPipeline    = errors.New("redisstore: WithAutoPipeline needs a *redis.Client or *redis.ClusterClient")
)

// claimScript claims KEYS[1] for ARGV[1] milliseconds. Given a record
// (ARGV[2]) and its keep time (ARGV[3], milliseconds), it saves the record
// in KEYS[2] with a new claim, the claim marked saved: one round trip for
// ClaimSave. It answers 1 when the claim is new; else "" while the first
// request runs (nothing saved yet), the saved record while it is kept,
// or 0 once it no longer is.
var claimScript = newScript(`
local saving = #ARGV > 1
if redis.call('SET', KEYS[1], saving and '1' or '', 'NX', 'PX', ARGV[1]) then
	if saving then
		redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
	end
	return 1
end
if redis.call('GET', KEYS[1]) ~= '1' then
	return ''
end
local record = redis.call('GET', KEYS[2])
if record and record ~= '' then
	return record
end
return 0
`)

// saveScript marks the claim KEYS[1] saved, keeping its expiry, and keeps
// the record ARGV[1] in KEYS[2] for ARGV[2] milliseconds: 1, or 0 when
// there is no claim.
var saveScript = newScript(`
if not redis.call('SET', KEYS[1], '1', 'XX', 'KEEPTTL') then
	return 0
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
`)

// script is a Lua script and its source, which an autopipelined EVAL
// needs when Redis does not know the script yet.
type script struct {
	*redis.Script
	source string
}

func newScript(source string) script { return script{redis.NewScript(source), source} }

// Store is a flow.Store on Redis, shared by every replica that uses the same
// Redis and prefix. It is safe for concurrent use.
type Store struct {
	client   redis.UniversalClient
	pipeline *redis.AutoPipeliner // WithAutoPipeline's deferred face, or nil
	prefix   string
	timeout  time.Duration
	policy   policyCheck
}

var (
	_ flow.ClaimSaver = (*Store)(nil)
	_ flow.ReadyStore = (*Store)(nil)
)

// New returns a Store on client. The caller keeps ownership of client and
// closes it.
//
// New refuses a Redis that may evict claims: it reads maxmemory-policy
// with CONFIG GET (on every node of a cluster), within the store's
// timeout, and fails with ErrEvictionPolicy for anything but noeviction,
// or with ErrPolicyUnknown when Redis refuses CONFIG; AssumeNoEviction
// skips the check. A Redis that does not answer yet is not an error: the
// store checks the policy before its first Claim instead, and fails
// closed until it has.
//
// New also refuses a go-redis client whose options leave
// ContextTimeoutEnabled unset, since its calls would outlast the store's
// timeout.
func New(client redis.UniversalClient, opts ...Option) (*Store, error) {
	if client == nil {
		return nil, errNilClient
	}
	if ignoresContextDeadlines(client) {
		return nil, errContextTimeouts
	}
	c := config{prefix: DefaultPrefix, timeout: DefaultTimeout}
	for _, opt := range opts {
		if err := opt(&c); err != nil {
			return nil, err
		}
	}
	s := &Store{client: client, prefix: c.prefix, timeout: c.timeout}
	if c.autoPipeline {
		var err error
		if s.pipeline, err = autoPipeline(client); err != nil {
			return nil, err
		}
	}
	if c.assumeNoEviction {
		s.policy.done.Store(true)
		return s, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	if err := s.policy.check(ctx, client); err != nil && !errors.Is(err, ErrUnavailable) {
		return nil, err
	}
	return s, nil
}

// autoPipeline returns client's deferred autopipeliner.
func autoPipeline(client redis.UniversalClient) (*redis.AutoPipeliner, error) {
	switch c := client.(type) {
	case *redis.Client:
		return c.AsyncAutoPipeline()
	case *redis.ClusterClient:
		return c.AsyncAutoPipeline()
	}
	return nil, errAutoPipeline
}

// ignoresContextDeadlines reports whether client is one of go-redis's own
// clients configured to leave context deadlines off its sockets.
func ignoresContextDeadlines(client redis.UniversalClient) bool {
	switch c := client.(type) {
	case *redis.Client:
		return !c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return !c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return !c.Options().ContextTimeoutEnabled
	}
	return false
}

// Claim records id as answered for ttl (rounded up to a millisecond). It
// reports claimed=true when id was new. Otherwise it returns the record Save
// stored for id, nil while the first request is still running, or an
// empty record once the record's keep time has passed. Until the store has
// seen Redis's maxmemory-policy (New could not reach Redis), Claim checks
// it first, and fails as New would have.
func (s *Store) Claim(ctx context.Context, id flow.TokenID, ttl time.Duration) (bool, []byte, error) {
	return s.claim(ctx, id, ttl)
}

// ClaimSave claims id for ttl and, when it is new, saves record for keep
// with it, in one round trip; otherwise it saves nothing and answers as
// Claim. It checks the eviction policy first as Claim does.
func (s *Store) ClaimSave(ctx context.Context, id flow.TokenID, ttl time.Duration, record []byte, keep time.Duration) (bool, []byte, error) {
	if keep <= 0 {
		return false, nil, errKeep
	}
	return s.claim(ctx, id, ttl, record, milliseconds(keep))
}

// claim runs claimScript for id, with saving (a record and its keep time)
// for ClaimSave.
func (s *Store) claim(ctx context.Context, id flow.TokenID, ttl time.Duration, saving ...any) (bool, []byte, error) {
	if ttl <= 0 {
		return false, nil, errTTL
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.policy.check(ctx, s.client); err != nil {
		return false, nil, err
	}
	claimKey, answerKey := s.keys(id)
	reply, err := s.run(ctx, claimScript, []string{claimKey, answerKey}, append([]any{milliseconds(ttl)}, saving...)...)
	return claimReply(reply, err)
}

// claimReply reads claimScript's reply.
func claimReply(reply any, err error) (bool, []byte, error) {
	if err != nil {
		return false, nil, fmt.Errorf("%w: claim: %w", ErrUnavailable, err)
	}
	switch reply := reply.(type) {
	case int64:
		if reply == 1 {
			return true, nil, nil
		}
		return false, []byte{}, nil // saved, no longer kept
	case string:
		if reply == "" {
			return false, nil, nil
		}
		return false, []byte(reply), nil
	}
	return false, nil, fmt.Errorf("%w: claim: unexpected reply of type %T", ErrUnavailable, reply)
}

// Save stores record for a claimed id for keep (rounded up to a
// millisecond), keeping the expiry Claim set for the claim itself. It
// fails with an error wrapping flow.ErrNotClaimed when Redis holds no
// claim for id (it expired, or Redis lost it).
func (s *Store) Save(ctx context.Context, id flow.TokenID, record []byte, keep time.Duration) error {
	if keep <= 0 {
		return errKeep
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	claimKey, answerKey := s.keys(id)
	reply, err := s.run(ctx, saveScript, []string{claimKey, answerKey}, record, milliseconds(keep))
	saved, _ := reply.(int64)
	switch {
	case err != nil:
		return fmt.Errorf("%w: save: %w", ErrUnavailable, err)
	case saved == 0:
		return fmt.Errorf("redisstore: save: %w", flow.ErrNotClaimed)
	}
	return nil
}

// Ready reports whether the store can serve claims now: nil when Redis
// answers PING (every master of a cluster) within the store's timeout, or
// sooner if ctx says so, and its maxmemory-policy has been seen to be
// noeviction; otherwise an error wrapping ErrUnavailable,
// ErrEvictionPolicy or ErrPolicyUnknown. It is what a readiness probe
// calls, and what a flow's readiness check calls on a store that has it:
// a replica whose Redis does not answer fails every step, and should be
// taken out of the load balancer's rotation rather than apologise to
// callers.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.policy.check(ctx, s.client); err != nil {
		return err
	}
	var err error
	switch c := s.client.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			return node.Ping(ctx).Err()
		})
	default:
		err = c.Ping(ctx).Err()
	}
	if err != nil {
		return fmt.Errorf("%w: ping: %w", ErrUnavailable, err)
	}
	return nil
}

// run runs script with keys and args, as redis.Script.Run does (EVALSHA,
// then EVAL should Redis not know the script), and returns its reply. With
// an autopipeliner the commands join its shared pipeline, and run waits
// for the reply no longer than ctx; the command may still reach Redis
// after that, which leaves a claim made (the flow has failed closed) or a
// record saved, never a token answerable twice.
func (s *Store) run(ctx context.Context, sc script, keys []string, args ...any) (any, error) {
	if s.pipeline == nil {
		return sc.Run(ctx, s.client, keys, args...).Result()
	}
	reply, err := s.submit(ctx, "evalsha", sc.Hash(), keys, args)
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		reply, err = s.submit(ctx, "eval", sc.source, keys, args)
	}
	return reply, err
}

// submit queues one EVALSHA or EVAL on the autopipeliner and waits for it
// within ctx.
func (s *Store) submit(ctx context.Context, name, script string, keys []string, args []any) (any, error) {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, name, script, len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	cmd := redis.NewCmd(ctx, append(cmdArgs, args...)...)
	cmd.SetFirstKeyPos(3) // a cluster routes it by its first key
	if err := s.pipeline.Submit(ctx, cmd).WaitContext(ctx); err != nil {
		return nil, err
	}
	return cmd.Result()
}

// keys are the Redis keys for id: the claim, the prefix then id in hex
// within braces, and the saved record, the same followed by ":answer".
// The braces are a Cluster hash tag: both keys live on one node, so each
// script touches one slot.
func (s *Store) keys(id flow.TokenID) (claim, answer string) {
	b := make([]byte, 0, len(s.prefix)+hex.EncodedLen(len(id))+2+len(answerSuffix))
	b = append(b, s.prefix...)
	b = append(b, '{')
	b = hex.AppendEncode(b, id[:])
	b = append(b, '}')
	n := len(b)
	b = append(b, answerSuffix...)
	return string(b[:n]), string(b)
}

// answerSuffix ends the key of a claim's saved record.
const answerSuffix = ":answer"

// milliseconds is d in whole milliseconds, rounded up, for PX.
func milliseconds(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}
