package flow

import (
	"testing"

	"github.com/encgather/encgather/pubseal"
)

// testSealer is one way a flow seals values, for tests and benchmarks run
// under each.
type testSealer struct {
	name string
	kem  pubseal.KEM // 0: the default AES-GCM Sealer
}

// testSealers are the default AES-GCM Sealer and public-key sealing under
// each KEM.
var testSealers = []testSealer{
	{"aes-gcm", 0},
	{"x25519", pubseal.X25519},
	{"mlkem768x25519", pubseal.MLKEM768X25519},
}

// options returns the options that make a flow seal this way, with a new
// key, and the length of four digits so sealed.
func (s testSealer) options(tb testing.TB) ([]Option, int) {
	tb.Helper()
	if s.kem == 0 {
		return nil, aesSealedLen(4)
	}
	k, err := pubseal.GenerateKey(s.kem)
	if err != nil {
		tb.Fatal(err)
	}
	return []Option{WithSealer(k.PublicKey())}, k.PublicKey().SealedLen(4)
}
