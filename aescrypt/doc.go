// Package aescrypt seals short secrets with AES-256-GCM (NIST SP 800-38D)
// in the hex format of Twilio's "Protect Twilio Voice Input with Encryption
// and Redaction" tutorial: lowercase hex of nonce (12 random bytes) ||
// ciphertext || tag (16 bytes).
//
//	c, err := aescrypt.FromEnv() // AES_SECRET, AES_SECRET_PREVIOUS
//	sealed := c.Seal([]byte("1234"), nil)
//	digits, err := c.Open(sealed, nil)
//
// # Security
//
// Every failed Open returns ErrOpen and nothing more: bad hex, a wrong
// length, a wrong key, a changed byte and wrong additional data look alike.
// Lengths are checked before anything is decoded (MaxSealedLen).
//
// Additional data binds a value to its context, such as a field name or a
// call: a value sealed for one context does not open in another. Nil
// additional data keeps the tutorial's format, which binds nothing.
//
// Keys never print. fmt (every verb), slog and encoding/json show a Key's
// ID, a short fingerprint from which the key cannot be recovered, and a
// Cipher's key IDs. A struct that holds a Key or a Cipher in an unexported
// field, where fmt cannot call their methods, prints an address in its
// place: the key material sits two pointers deep, out of reach of fmt's
// reflection. Key.ExportHex is the one deliberate way out.
//
// Using a zero or nil Cipher, or the zero Key, is a programming error and
// panics with a message that says so, as crypto/cipher panics on a wrong
// nonce size.
//
// Nonces are random: one key must not seal more than 2^32 values.
//
// # Key rotation
//
// A Cipher seals with its primary key and opens with any of its keys, the
// primary first. Rotation is a lifecycle of three steps, each a deploy:
//
//  1. Add: generate a key and deploy it everywhere as a previous key
//     (AES_SECRET_PREVIOUS), so every replica can open what it will seal.
//  2. Promote: make it the primary (AES_SECRET) and keep the old primary as
//     a previous key. New values are sealed with the new key; old ones still
//     open.
//  3. Retire: once no stored or in-flight value needs the old key
//     (OpenKey tells which key opened each value), remove it.
//
// # Compatibility
//
// The format is frozen. With nil additional data, values are byte-for-byte
// what Node's crypto makes with createCipheriv("aes-256-gcm", key, iv) and
// getAuthTag(), and Node opens ours; the test vectors in testdata/ are the
// promise. The tutorial's own decrypt reads the key as the UTF-8 bytes of
// its hex string and so can never decrypt; read the key as hex, as
// ParseKey does.
package aescrypt
