package pubseal_test

import (
	"fmt"
	"log"

	"github.com/encgather/encgather/pubseal"
)

const callSid = "CA0123456789abcdef0123456789abcdef"

// The IVR seals with the public key; only the backend's private key opens.
func Example() {
	backend, err := pubseal.GenerateKey(pubseal.X25519)
	if err != nil {
		log.Fatal(err)
	}
	ivrKey := backend.PublicKey() // what BACKEND_PUBLIC_KEY holds

	sealed, err := ivrKey.Seal([]byte("1234"), "encryptedCardDigits", callSid)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sealed), "hex characters")

	keys := pubseal.NewPrivateKeys(backend)
	digits, err := keys.Open(sealed, "encryptedCardDigits", callSid)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(digits))

	_, err = keys.Open(sealed, "encryptedPinDigits", callSid)
	fmt.Println(err)
	// Output:
	// 118 hex characters
	// 1234
	// pubseal: message authentication failed
}

// Private keys print as their KEM and ID, never as the key.
func ExamplePrivateKey_String() {
	k, err := pubseal.ParsePrivateKey("encgather-secret-v1-x25519-389ed86c27eaf4d68371a3c76d06e237d0e956dac561f5465bd40a42d593bc54")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(k)
	fmt.Printf("%#v\n", *k)
	fmt.Println(k.PublicKey())
	// Output:
	// pubseal.PrivateKey(x25519, id=786647a0)
	// pubseal.PrivateKey(x25519, id=786647a0)
	// encgather-pub-v1-x25519-ac3c9aa6dc25a7fd34e7836afe74e777bd7c6c8dd412473dc2fc6777713fe039
}

// Rotation: the backend holds the new key and the old one, and learns
// which key opened a value.
func ExamplePrivateKeys_OpenKey() {
	oldKey, _ := pubseal.GenerateKey(pubseal.X25519)
	newKey, _ := pubseal.GenerateKey(pubseal.MLKEM768X25519)
	sealedBefore, _ := oldKey.PublicKey().Seal([]byte("4321"), "encryptedPinDigits", callSid)

	keys := pubseal.NewPrivateKeys(newKey, oldKey)
	digits, opener, err := keys.OpenKey(sealedBefore, "encryptedPinDigits", callSid)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(digits), opener == oldKey, opener.KEM())
	// Output:
	// 4321 true x25519
}

// The hex length of a sealed 4-digit value under each KEM.
func ExampleSealedLen() {
	fmt.Println(pubseal.SealedLen(pubseal.X25519, 4))
	fmt.Println(pubseal.SealedLen(pubseal.MLKEM768X25519, 4))
	// Output:
	// 118
	// 2294
}
