package aescrypt_test

import (
	"fmt"
	"log"

	"github.com/encgather/encgather/aescrypt"
)

func Example() {
	key, err := aescrypt.ParseKey("a154eb4c759711bc2538a7cc021e9e9f17dd8aa63151c62ca28a82a4a404203d")
	if err != nil {
		log.Fatal(err)
	}
	c := aescrypt.New(key)
	sealed := c.Seal([]byte("1234"), nil)
	fmt.Println(len(sealed), "hex characters")

	digits, err := c.Open(sealed, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(digits))
	// Output:
	// 64 hex characters
	// 1234
}

// Keys print as an ID, never as the key.
func ExampleKey_String() {
	key, _ := aescrypt.ParseKey("a154eb4c759711bc2538a7cc021e9e9f17dd8aa63151c62ca28a82a4a404203d")
	fmt.Println(key)
	fmt.Printf("%#v\n", key)
	// Output:
	// aescrypt.Key(id=f5519583)
	// aescrypt.Key(id=f5519583)
}

// Rotation: seal with the new key, open with either, and learn which key
// opened a value.
func ExampleCipher_OpenKey() {
	oldKey, newKey := aescrypt.GenerateKey(), aescrypt.GenerateKey()
	sealedLastYear := aescrypt.New(oldKey).Seal([]byte("4321"), nil)

	c := aescrypt.New(newKey, oldKey)
	digits, opener, err := c.OpenKey(sealedLastYear, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(digits), opener.Equal(oldKey))
	// Output:
	// 4321 true
}

// Additional data binds a value to its context.
func ExampleCipher_Seal_additionalData() {
	c := aescrypt.New(aescrypt.GenerateKey())
	sealed := c.Seal([]byte("1234"), []byte("encryptedCardDigits"))
	_, err := c.Open(sealed, []byte("encryptedPinDigits"))
	fmt.Println(err)
	// Output:
	// aescrypt: message authentication failed
}
