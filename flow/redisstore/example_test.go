package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore"
)

// New on a Redis named by a URL such as redis://localhost:6379/0. The
// client must let context deadlines reach its sockets.
func ExampleNew() {
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		log.Fatal(err)
	}
	opt.ContextTimeoutEnabled = true
	client := redis.NewClient(opt)
	defer client.Close()

	store, err := redisstore.New(client, redisstore.WithPrefix("ivr:used:"))
	if err != nil {
		log.Fatal(err)
	}
	// store is a flow.Store; every replica builds one on the same Redis.
	var _ flow.Store = store
}

// A service answering many calls at once shares connections between
// their claims. The client, closed by the caller, closes its
// autopipeliner with it.
func ExampleWithAutoPipeline() {
	client := redis.NewClient(&redis.Options{Addr: "localhost:6379", ContextTimeoutEnabled: true})
	defer client.Close()

	store, err := redisstore.New(client, redisstore.WithAutoPipeline())
	if err != nil {
		log.Fatal(err)
	}
	// Pass it to flow.New with flow.WithStore(store), on every replica.
	var _ flow.ClaimSaver = store
}

// A store whose Redis cannot be reached fails within its timeout with
// ErrUnavailable, and the flow fails closed.
func ExampleStore_unavailable() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true})
	defer client.Close()
	store, err := redisstore.New(client, redisstore.WithTimeout(100*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	claimed, _, err := store.Claim(context.Background(), flow.TokenID{}, 15*time.Minute)
	fmt.Println("claimed:", claimed)
	fmt.Println("unavailable:", errors.Is(err, redisstore.ErrUnavailable))
	// Output:
	// claimed: false
	// unavailable: true
}

// A managed Redis that refuses CONFIG: New cannot read maxmemory-policy
// and fails with ErrPolicyUnknown, unless the caller, having checked the
// service's settings, vouches that the policy is noeviction.
func ExampleAssumeNoEviction() {
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		log.Fatal(err)
	}
	opt.ContextTimeoutEnabled = true
	client := redis.NewClient(opt)
	defer client.Close()

	// The service's parameter group sets maxmemory-policy noeviction.
	store, err := redisstore.New(client, redisstore.AssumeNoEviction())
	if err != nil {
		log.Fatal(err)
	}
	var _ flow.Store = store
}

// A readiness probe asks the store whether Redis answers; a replica whose
// Redis does not is better out of the load balancer's rotation than
// apologising to every caller.
func ExampleStore_Ready() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true})
	defer client.Close()
	store, err := redisstore.New(client, redisstore.WithTimeout(100*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := store.Ready(r.Context()); err != nil {
			http.Error(w, "single-use store unavailable", http.StatusServiceUnavailable)
		}
	})
	err = store.Ready(context.Background())
	fmt.Println("unavailable:", errors.Is(err, redisstore.ErrUnavailable))
	// Output:
	// unavailable: true
}
