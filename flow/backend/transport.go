package backend

import (
	"errors"
	"net"
	"net/http"
	"time"
)

// NewTransport returns a transport made for many concurrent calls to one
// backend, the one New uses when Config.Client is nil. A service that
// passes its own Client can use it, or give its own transport the same
// settings:
//
//   - MaxIdleConnsPerHost and MaxIdleConns 256: a connection kept for each
//     call finishing at once (http.DefaultTransport keeps 2 per host, so
//     a burst of calls opens, and then closes, a connection per call);
//   - keep-alive, with idle connections closed after 90 s;
//   - a dial bounded to 3 s and a TLS handshake to 3 s, so an unreachable
//     backend fails well within the call's Config.Timeout;
//   - ForceAttemptHTTP2, so an https backend that speaks HTTP/2 takes
//     every call on one connection;
//   - proxies from the environment, as http.DefaultTransport does.
func NewTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   3 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// transport is what sends a Finish's requests: c's transport, or a new
// NewTransport for a nil c.
func transport(c *http.Client) http.RoundTripper {
	switch {
	case c == nil:
		return NewTransport()
	case c.Transport == nil:
		return http.DefaultTransport
	default:
		return c.Transport
	}
}

// errNoResponse is reported, wrapped in ErrFailed, for a transport that
// breaks its contract.
var errNoResponse = errors.New("transport returned no response and no error")

// roundTrip sends req once. It is not http.Client.Do: there is no redirect
// to follow, so none is, and a 3xx answer is returned as it is.
func roundTrip(rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	if resp == nil {
		return nil, errNoResponse
	}
	return resp, nil
}
