package main

import (
	"runtime/debug"
	"testing"
)

func TestSetGCTarget(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tests := []struct {
		name, gogc string
		want       int
	}{
		{"GOGC unset", "", gcPercent},
		{"GOGC set by the operator", "150", 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.gogc)
			debug.SetGCPercent(100)
			setGCTarget()
			if got := debug.SetGCPercent(100); got != tt.want {
				t.Fatalf("GC percent %d, want %d", got, tt.want)
			}
		})
	}
}
