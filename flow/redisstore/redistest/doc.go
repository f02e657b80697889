// Package redistest runs a real redis-server for tests, in the manner of
// net/http/httptest: NewServer starts one on a free loopback port with a
// temporary directory and no persistence, and stops it when the test ends.
//
// When redis-server is not on PATH, NewServer skips the test with a message
// saying how to install it, unless the environment variable CI is "true":
// then it fails the test, so that a continuous-integration run never passes
// by skipping.
package redistest
