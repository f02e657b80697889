package twiliosig

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/twilio/twilio-go/client"
)

// helperVectors is testdata/helper_vectors.json: the request-validator test
// vectors of Twilio's seven helper libraries, and those of changes to them.
type helperVectors struct {
	Token   string
	Sources map[string]struct{ Repo, Path, Commit string }
	Vectors []helperVector
}

type helperVector struct {
	Name      string
	From      []string
	Token     string // "" for helperVectors.Token
	URL       string
	Params    url.Values // form requests; null for none
	Body      *string    // requests signed through bodySHA256
	Signature string
	Valid     bool
	TwilioGo  *bool `json:"twilio_go"` // what twilio-go says, where it differs from Valid
}

// token returns the auth token v is signed with.
func (v helperVector) token(hv helperVectors) string {
	if v.Token != "" {
		return v.Token
	}
	return hv.Token
}

func loadHelperVectors(t testing.TB) helperVectors {
	t.Helper()
	data, err := os.ReadFile("testdata/helper_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var hv helperVectors
	if err := json.Unmarshal(data, &hv); err != nil {
		t.Fatal(err)
	}
	if len(hv.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	return hv
}

func TestHelperLibraryVectors(t *testing.T) {
	hv := loadHelperVectors(t)
	for _, v := range hv.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			for _, from := range v.From {
				if _, ok := hv.Sources[from]; !ok {
					t.Fatalf("vector names an unknown source %q", from)
				}
			}
			token := v.token(hv)
			c := NewChecker(token)
			var got, gotChecker bool
			if v.Body != nil {
				got = ValidBody(token, v.URL, []byte(*v.Body), v.Signature)
				gotChecker = c.ValidBody(v.URL, []byte(*v.Body), v.Signature)
			} else {
				got = Valid(token, v.URL, v.Params, v.Signature)
				gotChecker = c.Valid(v.URL, v.Params, v.Signature)
			}
			if got != v.Valid || gotChecker != v.Valid {
				t.Errorf("Valid = %v, Checker = %v, want %v (vector from %s)", got, gotChecker, v.Valid, strings.Join(v.From, ", "))
			}
		})
	}
}

// hasRepeatedKey reports whether a form has a name with several values,
// which twilio-go's map[string]string cannot express.
func hasRepeatedKey(form url.Values) bool {
	for _, vs := range form {
		if len(vs) > 1 {
			return true
		}
	}
	return false
}

// TestHelperLibraryVectorsTwilioGo runs the same vectors through twilio-go's
// RequestValidator, to show where it agrees and that the vectors are right.
// Repeated names are left out: twilio-go keeps one value per name. Where a
// vector says twilio-go differs (it checks no other spelling of a query),
// twilio-go must say so, or the vector proves nothing about the difference.
func TestHelperLibraryVectorsTwilioGo(t *testing.T) {
	hv := loadHelperVectors(t)
	for _, v := range hv.Vectors {
		if hasRepeatedKey(v.Params) {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			rv := client.NewRequestValidator(v.token(hv))
			want := v.Valid
			if v.TwilioGo != nil {
				if *v.TwilioGo == v.Valid {
					t.Fatal("twilio_go repeats valid; give it only where they differ")
				}
				want = *v.TwilioGo
			}
			var got bool
			if v.Body != nil {
				got = rv.ValidateBody(v.URL, []byte(*v.Body), v.Signature)
			} else {
				got = rv.Validate(v.URL, firstValues(v.Params), v.Signature)
			}
			if got != want {
				t.Errorf("twilio-go says %v, want %v", got, want)
			}
		})
	}
}
