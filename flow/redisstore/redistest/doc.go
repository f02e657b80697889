// Package redistest runs real redis-server processes for tests, in the
// manner of net/http/httptest. NewServer starts one on a free loopback
// port with a temporary directory and no persistence (extra arguments
// override that, such as an eviction policy); NewAOFServer starts one that
// syncs every write to its append-only file, so that Kill and Start model
// a crash; NewCluster starts and joins a Redis Cluster. Each is stopped
// when its test ends.
//
// When redis-server (or, for a cluster, redis-cli) is not on PATH, they
// skip the test with a message saying how to install it, unless the
// environment variable CI is "true": then they fail the test, so that a
// continuous-integration run never passes by skipping.
package redistest
