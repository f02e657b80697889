// Package pubseal seals short values to a backend's public key with Hybrid
// Public Key Encryption (RFC 9180), so that the service that seals them (an
// IVR) holds no key that opens them.
//
// The IVR reads the public key; the backend reads its private keys:
//
//	pk, err := pubseal.PublicKeyFromEnv() // BACKEND_PUBLIC_KEY
//	sealed, err := pk.Seal([]byte("1234"), "encryptedCardDigits", callSid)
//
//	keys, err := pubseal.PrivateKeysFromEnv() // BACKEND_PRIVATE_KEY
//	digits, err := keys.Open(sealed, "encryptedCardDigits", callSid)
//
// The suite is HPKE base mode with HKDF-SHA256 and AES-256-GCM, from
// crypto/hpke. The KEM is DHKEM(X25519, HKDF-SHA256) ([X25519]) by default,
// or the hybrid post-quantum MLKEM768-X25519 ([MLKEM768X25519], X-Wing),
// chosen when the key pair is generated ([GenerateKey]).
//
// # Sealed values
//
// A sealed value is lowercase hex of these bytes:
//
//	offset    size    content
//	0         1       version, 0x01
//	1         2       KEM: its HPKE ID, big-endian (0x0020 X25519, 0x647a MLKEM768-X25519)
//	3         4       key ID: SHA-256("encgather pubseal key id" 0x00 || KEM ID || public key)[:4]
//	7         Nenc    HPKE encapsulated key: 32 bytes (X25519) or 1120 (MLKEM768-X25519)
//	7+Nenc    n+16    the value of n bytes, AES-256-GCM encrypted, then its 16-byte tag
//
// The HPKE context is set up with info = "encgather pubseal v1" 0x00 field
// 0x00 callSid, and the value is sealed once in it with the 7 header bytes
// as additional data. Four digits seal to [SealedLen](X25519, 4) = 118 hex
// characters, or 2,294 under MLKEM768-X25519.
//
// # Keys
//
// Keys have self-describing text forms: a prefix, the KEM's name, a dash,
// and the key in lowercase hex.
//
//	encgather-pub-v1-x25519-<64 hex>                  public, 32 bytes
//	encgather-pub-v1-mlkem768x25519-<2432 hex>        public, 1216 bytes
//	encgather-secret-v1-x25519-<64 hex>               private, 32 bytes
//	encgather-secret-v1-mlkem768x25519-<64 hex>       private, the 32-byte seed
//
// The key bytes are RFC 9180's SerializePublicKey and SerializePrivateKey
// for the KEM. A key's ID is 8 hex characters of the hash above; a private
// key has its public key's ID.
//
// # Security
//
// The IVR's key seals and never opens: a copy of everything the IVR holds
// opens nothing it sealed. [PublicKeyFromEnv] refuses a private key.
//
// Each value is bound to its field name and its call's SID through the
// HPKE info: a value moved to another field or into another call does not
// open. Field names must be non-empty and contain no NUL byte, so that no
// two (field, call) pairs share an info. Nothing binds a value to a time:
// a value can be replayed within its field and call, which the flow's
// single-use state prevents.
//
// Every failed Open returns [ErrOpen] and nothing more: bad hex (upper case
// included), a wrong length, version, KEM or key ID, a changed byte and
// another field or call look alike. Lengths are checked before anything is
// decoded ([MaxSealedLen]). A value whose key ID matches no key fails
// sooner than one that does, which tells only which key IDs the backend
// holds; key IDs are in every sealed value anyway.
//
// Private keys never print. fmt (every verb), slog and encoding/json show
// a PrivateKey's KEM and ID. A struct that holds one in an unexported
// field, where fmt cannot call its methods, prints an address in its
// place: the key sits two pointers deep, out of reach of fmt's reflection.
// [PrivateKey.ExportText] is the one deliberate way out. Errors never
// quote a key, public or private.
//
// Using a zero PublicKey, PrivateKey or PrivateKeys is a programming error
// and panics with a message that says so; anything an attacker controls
// gets an error.
//
// X25519 alone falls to a large quantum computer, and a value recorded
// today could be opened then. Choose MLKEM768X25519 if the values must stay
// secret that long; it costs about 20 times the space.
//
// # Key rotation
//
// BACKEND_PRIVATE_KEY holds one or more private keys, comma-separated,
// newest first; a value is opened by the key whose KEM and ID it names.
// Rotation is three deploys:
//
//  1. Add: generate a key pair and append the private key to the
//     backend's BACKEND_PRIVATE_KEY.
//  2. Promote: give the IVRs the new public key (BACKEND_PUBLIC_KEY) and
//     move the new private key to the front. Values in flight, sealed to
//     the old key, still open.
//  3. Retire: once no value needs the old key ([PrivateKeys.OpenKey] tells
//     which key opened each value), remove it.
//
// The same steps change the KEM: keys of both KEMs can be held at once.
//
// # Compatibility
//
// The layout above is version 1, and any HPKE implementation with the
// suite can open it from this description: the first byte changes if the
// layout does. The text forms of keys carry their own version ("v1"). The
// test vectors in testdata/ are the promise: values sealed once and opened
// by fixed private keys, and RFC 9180's and draft-ietf-hpke-pq's vectors
// for the suites used.
package pubseal
