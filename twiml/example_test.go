package twiml_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/encgather/encgather/twiml"
)

// The tutorial's first response: a Gather holding a Say. Only Say, Play
// and Pause fit in a Gather; anything else does not compile.
func Example() {
	resp := &twiml.Response{Verbs: []twiml.Verb{
		twiml.Gather{
			Action:    "/encrypted-gather?step=getPin",
			Method:    twiml.MethodPOST,
			Input:     twiml.InputDTMF,
			Timeout:   10 * time.Second,
			NumDigits: 4,
			Verbs:     []twiml.GatherVerb{twiml.Say{Text: "Please enter last 4 digits of your payment card number."}},
		},
		twiml.Redirect{URL: "/encrypted-gather?step=getLast4CC"},
	}}
	resp.WriteTo(os.Stdout)
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" action="/encrypted-gather?step=getPin" method="POST" timeout="10" numDigits="4"><Say>Please enter last 4 digits of your payment card number.</Say></Gather><Redirect>/encrypted-gather?step=getLast4CC</Redirect></Response>
}

// An empty finishOnKey, which twilio-go cannot express, lets '#' be typed.
func ExampleNoFinishOnKey() {
	resp := &twiml.Response{Verbs: []twiml.Verb{twiml.Gather{FinishOnKey: twiml.NoFinishOnKey, NumDigits: 6}}}
	fmt.Println(resp)
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="6" finishOnKey=""/></Response>
}

// Validate reports what Twilio would refuse, naming the verb and attribute.
func ExampleResponse_Validate() {
	resp := &twiml.Response{Verbs: []twiml.Verb{
		twiml.Gather{NumDigits: -1, Timeout: 500 * time.Millisecond},
		twiml.Redirect{},
	}}
	err := resp.Validate()
	fmt.Println(errors.Is(err, twiml.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// twiml: Gather timeout: must be at least 1s
	// twiml: Gather numDigits: must be at least 1
	// twiml: Redirect: URL is empty
}

// Parse reads TwiML back into the same types, for tests.
func ExampleParse() {
	resp, err := twiml.Parse([]byte(`<Response><Say voice="alice">Hello &amp; goodbye</Say><Hangup/></Response>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	say := resp.Verbs[0].(twiml.Say)
	fmt.Printf("%q %q %T\n", say.Text, say.Voice, resp.Verbs[1])
	_, err = twiml.Parse([]byte(`<Response><Record maxLength="30"/></Response>`))
	fmt.Println(err)
	// Output:
	// "Hello & goodbye" "alice" twiml.Hangup
	// twiml: line 1: unknown verb "Record"
}

// AppendXML renders into a buffer the caller keeps, allocating nothing
// once the buffer is large enough.
func ExampleResponse_AppendXML() {
	var buf []byte
	for _, text := range []string{"One.", "Two & three."} {
		resp := &twiml.Response{Verbs: []twiml.Verb{twiml.Say{Text: text}, twiml.Hangup{}}}
		buf = resp.AppendXML(buf[:0])
		fmt.Println(string(buf))
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>One.</Say><Hangup/></Response>
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>Two &amp; three.</Say><Hangup/></Response>
}

// WriteHTTP answers a webhook with TwiML.
func ExampleWriteHTTP() {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp := &twiml.Response{Verbs: []twiml.Verb{twiml.Say{Text: "Goodbye."}, twiml.Hangup{}}}
		if err := twiml.WriteHTTP(w, resp); err != nil {
			log.Print(err)
		}
	})
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "https://ivr.example.com/voice", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body)
	// Output:
	// 200 text/xml; charset=utf-8
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>Goodbye.</Say><Hangup/></Response>
}

// A call that ends by connecting the caller to an agent: Dial with a
// Client noun. Its nouns are their own type, so no verb fits in a Dial.
func ExampleDial() {
	resp := &twiml.Response{Verbs: []twiml.Verb{
		twiml.Say{Text: "Thank you. Connecting you to an agent."},
		twiml.Dial{
			CallerID: "+15005550006",
			Timeout:  20 * time.Second,
			Nouns:    []twiml.DialNoun{twiml.Client{Identity: "agent-7"}},
		},
	}}
	fmt.Println(resp.Validate())
	fmt.Println(resp)
	// Output:
	// <nil>
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>Thank you. Connecting you to an agent.</Say><Dial timeout="20" callerId="+15005550006"><Client>agent-7</Client></Dial></Response>
}

// SSML in a Say: digits read one by one, then a pause. Text is escaped, so
// markup in it is spoken, never obeyed.
func ExampleSay_ssml() {
	resp := &twiml.Response{Verbs: []twiml.Verb{twiml.Say{
		Text: "Your reference is ",
		Content: []twiml.Speech{
			twiml.SSMLSayAs{InterpretAs: twiml.InterpretAsDigits, Text: "4921"},
			twiml.SSMLBreak{Time: 500 * time.Millisecond},
			twiml.SSMLText("<break/> is read as text."),
		},
	}}}
	fmt.Println(resp)
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>Your reference is <say-as interpret-as="digits">4921</say-as><break time="500ms"/>&lt;break/&gt; is read as text.</Say></Response>
}

// EndsCall tells the verbs after which the document's conversation with
// the caller is over.
func ExampleEndsCall() {
	for _, v := range []twiml.Verb{
		twiml.Say{Text: "Hello."},
		twiml.Redirect{URL: "/next"},
		twiml.Dial{PhoneNumber: "+15005550006"},
		twiml.Enqueue{Name: "support"},
		twiml.Hangup{},
	} {
		fmt.Printf("%T %v\n", v, twiml.EndsCall(v))
	}
	// Output:
	// twiml.Say false
	// twiml.Redirect false
	// twiml.Dial true
	// twiml.Enqueue true
	// twiml.Hangup true
}
