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
// vectors of Twilio's seven helper libraries.
type helperVectors struct {
	Token   string
	Sources map[string]struct{ Repo, Path, Commit string }
	Vectors []helperVector
}

type helperVector struct {
	Name      string
	From      []string
	URL       string
	Params    url.Values // form requests; null for none
	Body      *string    // requests signed through bodySHA256
	Signature string
	Valid     bool
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
	c := NewChecker(hv.Token)
	for _, v := range hv.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			for _, from := range v.From {
				if _, ok := hv.Sources[from]; !ok {
					t.Fatalf("vector names an unknown source %q", from)
				}
			}
			var got, gotChecker bool
			if v.Body != nil {
				got = ValidBody(hv.Token, v.URL, []byte(*v.Body), v.Signature)
				gotChecker = c.ValidBody(v.URL, []byte(*v.Body), v.Signature)
			} else {
				got = Valid(hv.Token, v.URL, v.Params, v.Signature)
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
// Repeated names are left out: twilio-go keeps one value per name.
func TestHelperLibraryVectorsTwilioGo(t *testing.T) {
	hv := loadHelperVectors(t)
	rv := client.NewRequestValidator(hv.Token)
	for _, v := range hv.Vectors {
		if hasRepeatedKey(v.Params) {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			var got bool
			if v.Body != nil {
				got = rv.ValidateBody(v.URL, []byte(*v.Body), v.Signature)
			} else {
				got = rv.Validate(v.URL, firstValues(v.Params), v.Signature)
			}
			if got != v.Valid {
				t.Errorf("twilio-go says %v, want %v", got, v.Valid)
			}
		})
	}
}
