package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/nodetest"
)

// TestNodeBaseline places calls against the Node baseline, when node is
// installed: it must answer the tutorial's call and its failure.
func TestNodeBaseline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	line := nodetest.Start(t, ctx, "baseline/node/server.js", "PORT=0", "AES_SECRET="+aescrypt.GenerateKey().ExportHex())
	addr, ok := strings.CutPrefix(line, "listening on ")
	if !ok {
		t.Fatalf("node baseline did not say where it listens: %q", line)
	}
	tests := []struct {
		name string
		keys []string
		want outcome
	}{
		{"known caller", []string{"1234", "4321"}, ended},
		{"unknown caller", []string{"1234", "0000"}, wrong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDriver("http://"+addr+"/encrypted-gather", "unchecked", tt.keys...)
			r := run(ctx, d, plan{mode: modeCall, calls: 4, concurrency: 2, duration: time.Minute})
			counts := map[outcome]int{ended: r.ended, wrong: r.wrong, failed: r.failed}
			if counts[tt.want] != 4 || len(r.steps) != 3 {
				t.Fatalf("ended %d, wrong %d, failed %d, %d requests a call; %q", r.ended, r.wrong, r.failed, len(r.steps), r.samples)
			}
		})
	}
}
