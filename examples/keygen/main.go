// Command keygen prints a fresh AES-256 key as 64 hex characters, the form
// AES_SECRET takes:
//
//	export AES_SECRET=$(go run ./examples/keygen)
package main

import (
	"fmt"

	"github.com/encgather/encgather/aescrypt"
)

func main() {
	fmt.Println(aescrypt.GenerateKey().ExportHex())
}
