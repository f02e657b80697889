package sid

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	hex32 := strings.Repeat("0a", 16)
	tests := []struct {
		name   string
		sid    string
		prefix string
		want   bool
	}{
		{"call", "CA" + hex32, Call, true},
		{"upper-case hex", "CA" + strings.ToUpper(hex32), Call, true},
		{"account", "AC" + hex32, Account, true},
		{"API key", "SK" + hex32, APIKey, true},
		{"wrong prefix", "AC" + hex32, Call, false},
		{"empty", "", Call, false},
		{"short", "CA" + hex32[:31], Call, false},
		{"long", "CA" + hex32 + "0", Call, false},
		{"not hex", "CA" + strings.Repeat("z", 32), Call, false},
		{"path", "CA" + hex32[:29] + "/..", Call, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Valid(tt.sid, tt.prefix); got != tt.want {
				t.Fatalf("Valid(%q, %q) = %v, want %v", tt.sid, tt.prefix, got, tt.want)
			}
		})
	}
}
