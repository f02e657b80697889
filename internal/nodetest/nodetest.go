// Package nodetest runs Node.js scripts for the tests that check
// compatibility with the tutorial's Node code: it finds node, skipping the
// test where it is not installed, and starts a server script for the
// length of a test.
package nodetest

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
)

// Path returns the node executable's path, or skips t when node is not
// installed.
func Path(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	return node
}

// Start runs node with script, the environment variables env (NAME=value)
// added to this process's, until ctx is done or t ends. It returns the
// first line the script prints, which says where it listens, and fails t
// if the script does not start or prints no line.
func Start(t testing.TB, ctx context.Context, script string, env ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, Path(t), script)
	cmd.Env = append(cmd.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("node %s did not start: %q, %v", script, line, err)
	}
	return strings.TrimSpace(line)
}
