package flow_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log"
	"time"

	"github.com/encgather/encgather/flow"
)

// A token answers once: the first Claim wins, the flow saves its sealed
// answer, and a retry of the same token reads that answer back instead of
// running the step again.
func ExampleMemoryStore() {
	store, err := flow.NewMemoryStore(10_000)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// The flow names a token by a keyed hash, never by the token itself.
	mac := hmac.New(sha256.New, []byte("a key of the flow's own"))
	mac.Write([]byte("the state token of one request"))
	var id flow.TokenID
	copy(id[:], mac.Sum(nil))

	claimed, _, err := store.Claim(ctx, id, 15*time.Minute)
	fmt.Println("first request claims:", claimed, err)
	if err := store.Save(ctx, id, []byte("sealed answer"), 15*time.Second); err != nil {
		log.Fatal(err)
	}
	claimed, record, err := store.Claim(ctx, id, 15*time.Minute)
	fmt.Printf("retry claims: %v, reads back %q, %v\n", claimed, record, err)
	// Output:
	// first request claims: true <nil>
	// retry claims: false, reads back "sealed answer", <nil>
}
