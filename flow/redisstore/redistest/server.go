package redistest

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startTimeout bounds how long a redis-server may take to answer PING, and
// to exit once asked to stop. It is generous: a busy machine may take
// seconds to start a process and replay its append-only file.
const startTimeout = 30 * time.Second

// startAttempts is how many free ports NewServer tries: another process
// may take a port between the moment it is found free and the moment the
// server binds it.
const startAttempts = 3

// Server is a redis-server process serving one test.
type Server struct {
	// Addr is the server's host:port on loopback. It stays the same across
	// Stop, Kill and Start.
	Addr string

	t    testing.TB
	bin  string
	dir  string
	args []string // the command line after the binary
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	log  *syncBuffer   // the server's output, shown when it fails to start
}

// NewServer starts a redis-server for t on a free loopback port, in a
// temporary directory, with no persistence, and stops it when t ends. Each
// of args is added to its command line after the defaults, and so
// overrides them: NewServer(t, "--maxmemory-policy", "volatile-lru").
//
// It skips t when redis-server is not installed, or fails it when CI is
// "true".
func NewServer(t testing.TB, args ...string) *Server {
	t.Helper()
	return newServer(t, func(string) []string { return args })
}

// NewAOFServer starts a redis-server like NewServer that writes every
// change to its append-only file and syncs it to disk before answering
// (appendonly yes, appendfsync always). A claim it has answered survives
// Kill and Start.
func NewAOFServer(t testing.TB, args ...string) *Server {
	t.Helper()
	aof := []string{"--appendonly", "yes", "--appendfsync", "always"}
	return NewServer(t, append(aof, args...)...)
}

// newServer starts a server whose extra arguments extra makes for its
// temporary directory, on a fresh free port (and fresh arguments) for each
// attempt.
func newServer(t testing.TB, extra func(dir string) []string) *Server {
	t.Helper()
	bin := lookPath(t, "redis-server")
	var err error
	for range startAttempts {
		s := &Server{Addr: freeAddr(t), t: t, bin: bin, dir: t.TempDir()}
		_, port, _ := net.SplitHostPort(s.Addr)
		s.args = append([]string{
			"--port", port, "--bind", "127.0.0.1", "--dir", s.dir,
			"--save", "", "--appendonly", "no", "--daemonize", "no",
		}, extra(s.dir)...)
		if err = s.launch(); err == nil {
			t.Cleanup(s.Stop)
			return s
		}
	}
	t.Fatalf("redistest: %v", err)
	return nil
}

// lookPath finds a Redis program on PATH, or skips t (fails it when CI is
// "true") with a message saying how to install it.
func lookPath(t testing.TB, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, name+" not found on PATH; install it (apt-get install redis-server redis-tools) to run the Redis tests")
	}
	return bin
}

// skipOrFail skips t with msg, or fails it when CI is "true", so that a
// continuous-integration run never passes by skipping.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// NewClient returns a client of s that lets context deadlines reach its
// sockets (ContextTimeoutEnabled), as redisstore requires. It is closed
// when the test ends.
func (s *Server) NewClient() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr, ContextTimeoutEnabled: true})
	s.t.Cleanup(func() { c.Close() })
	return c
}

// Start starts the server again after Stop or Kill, on the same address,
// directory and command line, and waits until it answers PING (after
// loading its data). It keeps what the server's persistence wrote:
// nothing for NewServer's defaults, every answered write for
// NewAOFServer's.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		s.t.Fatal("redistest: Start of a running server")
	}
	if err := s.launch(); err != nil {
		s.t.Fatalf("redistest: %v", err)
	}
}

// launch starts the process and waits until it answers PING. On failure
// it leaves no process behind and returns an error holding its output.
func (s *Server) launch() error {
	s.log = &syncBuffer{}
	s.cmd = exec.Command(s.bin, s.args...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	setParentDeathSignal(s.cmd)
	if err := s.cmd.Start(); err != nil {
		s.cmd = nil
		return &startError{addr: s.Addr, err: err}
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		cmd.Wait()
		close(done)
	}(s.cmd, s.done)
	if err := s.waitReady(); err != nil {
		s.Kill()
		return &startError{addr: s.Addr, err: err, log: s.log.String()}
	}
	return nil
}

// Stop stops the server (SIGTERM, so that it saves what its configuration
// asks it to) and waits for it to exit. Stopping a stopped server does
// nothing.
func (s *Server) Stop() {
	s.end(syscall.SIGTERM)
}

// Kill kills the server at once (SIGKILL), as a crash or an out-of-memory
// kill would: it saves nothing on its way out. It waits for the process
// to exit. Killing a stopped server does nothing.
func (s *Server) Kill() {
	s.end(syscall.SIGKILL)
}

// end sends sig and waits for the process to exit, killing it if it has
// not within the start timeout.
func (s *Server) end(sig syscall.Signal) {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(sig)
	select {
	case <-s.done:
	case <-time.After(startTimeout):
		s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// waitReady waits until the server answers PING, or has exited, or the
// start timeout has passed.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-s.done:
			return errExited
		default:
		}
		if ping(s.Addr) == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return errNoAnswer
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ping sends one inline PING to addr and checks for +PONG (a server still
// loading its data answers -LOADING).
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return errNoAnswer
	}
	return nil
}

// freeAddr returns a loopback address with a port no one listened on a
// moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	return freeAddrs(t, 1)[0]
}

// freeAddrs returns n distinct loopback addresses, each with a port no one
// listened on a moment ago: all are held open together, so none repeats.
func freeAddrs(t testing.TB, n int) []string {
	t.Helper()
	addrs := make([]string, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("redistest: finding a free port: %v", err)
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs
}

// ClosedAddr returns a loopback address where nothing listens, for testing
// a Redis that cannot be reached.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	return freeAddr(t)
}

var (
	errExited   = errors.New("exited before answering")
	errNoAnswer = errors.New("did not answer PING in time")
)

// startError is a server that did not start, with its output.
type startError struct {
	addr string
	err  error
	log  string
}

func (e *startError) Error() string {
	return "redis-server on " + e.addr + ": " + e.err.Error() + "\n" + e.log
}

func (e *startError) Unwrap() error { return e.err }

// syncBuffer is a bytes.Buffer the server's output goroutines may write
// while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
