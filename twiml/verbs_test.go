package twiml

import "testing"

func TestEndsCall(t *testing.T) {
	tests := []struct {
		name string
		v    Verb
		want bool
	}{
		{"say", Say{Text: "a"}, false},
		{"play", Play{URL: "u"}, false},
		{"pause", Pause{}, false},
		{"gather", Gather{}, false},
		{"redirect", Redirect{URL: "/r"}, false},
		{"hangup", Hangup{}, true},
		{"reject", Reject{}, true},
		{"dial", Dial{PhoneNumber: "+15005550006"}, true},
		{"dial with action", Dial{Action: "/after", Nouns: []DialNoun{Queue{Name: "q"}}}, true},
		{"enqueue", Enqueue{Name: "q"}, true},
		{"nil", nil, false},
		{"pointer", &Hangup{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := EndsCall(tc.v); got != tc.want {
				t.Errorf("EndsCall(%T) = %v, want %v", tc.v, got, tc.want)
			}
		})
	}
}
