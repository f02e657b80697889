// Package rueidisstore is flow/redisstore's Claim and Save on the rueidis
// client, which pipelines concurrent commands onto shared connections, for
// measuring against the go-redis store under load: the same scripts and
// keys, none of its checks (eviction policy, readiness).
package rueidisstore

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/rueidis"

	"github.com/encgather/encgather/flow"
)

// ErrUnavailable is returned when Redis does not answer in time or answers
// with an error.
var ErrUnavailable = errors.New("rueidisstore: store unavailable")

var errNotClaimed = fmt.Errorf("rueidisstore: save: %w", flow.ErrNotClaimed)

var claimScript = rueidis.NewLuaScript(`
if redis.call('SET', KEYS[1], '', 'NX', 'PX', ARGV[1]) then
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

var saveScript = rueidis.NewLuaScript(`
if not redis.call('SET', KEYS[1], '1', 'XX', 'KEEPTTL') then
	return 0
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
`)

// Store is a flow.Store on a rueidis client.
type Store struct {
	client  rueidis.Client
	prefix  string
	timeout time.Duration
}

var _ flow.Store = (*Store)(nil)

// New returns a Store on client with redisstore's default prefix and
// timeout.
func New(client rueidis.Client) *Store {
	return &Store{client: client, prefix: "encgather:used:", timeout: 500 * time.Millisecond}
}

// Claim is redisstore.Store.Claim.
func (s *Store) Claim(ctx context.Context, id flow.TokenID, ttl time.Duration) (bool, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	claimKey, answerKey := s.keys(id)
	msg, err := claimScript.Exec(ctx, s.client, []string{claimKey, answerKey}, []string{milliseconds(ttl)}).ToMessage()
	if err != nil {
		return false, nil, fmt.Errorf("%w: claim: %w", ErrUnavailable, err)
	}
	if msg.IsInt64() {
		n, _ := msg.AsInt64()
		if n == 1 {
			return true, nil, nil
		}
		return false, []byte{}, nil
	}
	rec, err := msg.ToString()
	if err != nil {
		return false, nil, fmt.Errorf("%w: claim: %w", ErrUnavailable, err)
	}
	if rec == "" {
		return false, nil, nil
	}
	return false, []byte(rec), nil
}

// Save is redisstore.Store.Save.
func (s *Store) Save(ctx context.Context, id flow.TokenID, record []byte, keep time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	claimKey, answerKey := s.keys(id)
	n, err := saveScript.Exec(ctx, s.client, []string{claimKey, answerKey}, []string{string(record), milliseconds(keep)}).AsInt64()
	switch {
	case err != nil:
		return fmt.Errorf("%w: save: %w", ErrUnavailable, err)
	case n == 0:
		return errNotClaimed
	}
	return nil
}

func (s *Store) keys(id flow.TokenID) (claim, answer string) {
	b := make([]byte, 0, len(s.prefix)+hex.EncodedLen(len(id))+9)
	b = append(b, s.prefix...)
	b = append(b, '{')
	b = hex.AppendEncode(b, id[:])
	b = append(b, '}')
	n := len(b)
	b = append(b, ":answer"...)
	return string(b[:n]), string(b)
}

func milliseconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Millisecond-1)/time.Millisecond), 10)
}
