module github.com/encgather/encgather

go 1.26.0

require (
	github.com/redis/go-redis/v9 v9.22.0
	github.com/twilio/twilio-go v1.31.0
	golang.org/x/crypto v0.59.0
)

require (
	github.com/beevik/etree v1.1.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/golang-jwt/jwt/v5 v5.2.2 // indirect
	github.com/golang/mock v1.6.0 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
