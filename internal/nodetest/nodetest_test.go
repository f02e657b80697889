package nodetest

import (
	"context"
	"testing"
	"time"
)

func TestStart(t *testing.T) {
	tests := []struct {
		name, greeting, want string
	}{
		{"a word", "listening", "listening"},
		{"spaces trimmed", "  8080  ", "8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if got := Start(t, ctx, "testdata/hello.js", "NODETEST_GREETING="+tt.greeting); got != tt.want {
				t.Errorf("first line %q, want %q", got, tt.want)
			}
		})
	}
}
