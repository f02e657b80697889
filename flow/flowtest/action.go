package flowtest

import (
	"errors"
	"fmt"

	"github.com/encgather/encgather/internal/twiliocall"
	"github.com/encgather/encgather/twiml"
)

// errNoGather is reported by GatherAction for a document without a
// <Gather>.
var errNoGather = errors.New("flowtest: no <Gather> in the answer")

// GatherAction returns where Twilio would send the keys typed into the
// first <Gather> of answer, a TwiML document served at docURL: its action
// resolved against docURL, or docURL itself when it has none.
func GatherAction(docURL string, answer []byte) (string, error) {
	doc, err := twiml.Parse(answer)
	if err != nil {
		return "", fmt.Errorf("flowtest: answer is not TwiML: %w", err)
	}
	for _, v := range doc.Verbs {
		if g, ok := v.(twiml.Gather); ok {
			return twiliocall.Action(docURL, g.Action), nil
		}
	}
	return "", errNoGather
}
