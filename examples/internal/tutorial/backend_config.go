package tutorial

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultBackendAddr is where the IVR's built-in backend listens when
// BACKEND_ADDR is not set: loopback, on a port the system picks. Only the
// IVR calls it; it is never the address tunnelled to the internet.
const DefaultBackendAddr = "127.0.0.1:0"

// BackendAddr reads BACKEND_ADDR through lookup: the address of the IVR's
// built-in backend, which must be on loopback (127.0.0.0/8, ::1 or
// localhost), since anyone who reaches it with sealed values learns the
// account they open to.
func BackendAddr(lookup func(string) (string, bool)) (string, error) {
	v, _ := lookup("BACKEND_ADDR")
	addr := strings.TrimSpace(v)
	if addr == "" {
		return DefaultBackendAddr, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%w: BACKEND_ADDR is not a host:port address such as 127.0.0.1:8081", ErrConfig)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", fmt.Errorf("%w: BACKEND_ADDR is not a loopback address such as 127.0.0.1:8081: the built-in backend is for the IVR alone", ErrConfig)
	}
	return addr, nil
}

// BindValues reads BIND_VALUES through lookup. Set (1, true) on both
// sides, the IVR seals each value bound to its field and CallSid
// (flow.WithBoundValues) and the backend opens only such values
// (BoundBackend). Unset or false is the tutorial's format, which the Node
// backend opens.
func BindValues(lookup func(string) (string, bool)) (bool, error) {
	v, _ := lookup("BIND_VALUES")
	v = strings.TrimSpace(v)
	if v == "" {
		return false, nil
	}
	bind, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%w: BIND_VALUES is not 1 or 0 (true or false)", ErrConfig)
	}
	return bind, nil
}
