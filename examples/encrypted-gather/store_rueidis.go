package main

import (
	"github.com/redis/rueidis"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/internal/bench/rueidisstore"
)

// rueidisStore is the single-use store on the rueidis client that
// REDIS_CLIENT=rueidis selects, for measuring it against go-redis.
func rueidisStore(raw string) (flow.Store, error) {
	opt, err := rueidis.ParseURL(raw)
	if err != nil {
		return nil, errRedisURL
	}
	opt.DisableCache = true
	client, err := rueidis.NewClient(opt)
	if err != nil {
		return nil, err
	}
	return rueidisstore.New(client), nil
}
