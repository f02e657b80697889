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
// to exit once asked to stop.
const startTimeout = 10 * time.Second

// Server is a redis-server process serving one test.
type Server struct {
	// Addr is the server's host:port on loopback. It stays the same across
	// Stop and Start.
	Addr string

	t    testing.TB
	bin  string
	dir  string
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	log  *syncBuffer   // the server's output, shown when it fails to start
}

// NewServer starts a redis-server for t and stops it when t ends. It skips
// t when redis-server is not installed, or fails it when CI is "true".
func NewServer(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		msg := "redis-server not found on PATH; install it (apt-get install redis-server) to run the Redis tests"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := &Server{Addr: freeAddr(t), t: t, bin: bin, dir: t.TempDir()}
	t.Cleanup(s.Stop)
	s.Start()
	return s
}

// NewClient returns a client of s that lets context deadlines reach its
// sockets (ContextTimeoutEnabled), as redisstore requires. It is closed
// when the test ends.
func (s *Server) NewClient() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr, ContextTimeoutEnabled: true})
	s.t.Cleanup(func() { c.Close() })
	return c
}

// Start starts the server again on the same address after Stop, with no
// data: nothing persists across a restart. It waits until the server
// answers PING.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		s.t.Fatal("redistest: Start of a running server")
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	s.log = &syncBuffer{}
	s.cmd = exec.Command(s.bin,
		"--port", port, "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	setParentDeathSignal(s.cmd)
	if err := s.cmd.Start(); err != nil {
		s.cmd = nil
		s.t.Fatalf("redistest: starting redis-server: %v", err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		cmd.Wait()
		close(done)
	}(s.cmd, s.done)
	if err := s.waitReady(); err != nil {
		s.Stop()
		s.t.Fatalf("redistest: redis-server on %s: %v\n%s", s.Addr, err, s.log.String())
	}
}

// Stop stops the server and waits for it to exit. Stopping a stopped
// server does nothing.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
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

// ping sends one inline PING to addr and checks for +PONG.
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
// moment ago. ClosedAddr and NewServer use it.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("redistest: finding a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
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
