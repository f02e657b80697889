package card

import (
	"strings"

	"github.com/encgather/encgather/twiml"
)

// Sentences are what the card and bank steps say, in one language and
// voice: each step's prompt, and what is said before a step asks again,
// by <Pay>'s error type. DefaultSentences is English in the manner of
// <Pay>'s own prompts; a translation sets every field, and Voice and
// Language to match (the flow's own sentences are set apart, with
// flow.WithSentences).
type Sentences struct {
	// The prompts of the steps.
	CardNumber        string // the card number, ended with '#'
	ExpirationDate    string // the expiry, MMYY
	SecurityCode      string // the security code of a card other than amex; "{n}" is its length
	SecurityCodeAmex  string // the security code of an amex card (on the front, four digits)
	PostalCode        string // the billing postal code; must say letters cannot be typed
	BankRoutingNumber string // the routing number, nine digits
	BankAccountNumber string // the account number, ended with '#'
	BankAccountType   string // the menu of AccountTypes, by key

	// Said before a step asks again, by <Pay>'s error type.
	InputTimeout             string // input-timeout: nothing typed
	InvalidCardNumber        string // invalid-card-number
	InvalidCardType          string // invalid-card-type: a brand not accepted
	InvalidDate              string // invalid-date
	InvalidSecurityCode      string // invalid-security-code
	InvalidPostalCode        string // invalid-postal-code
	InvalidBankRoutingNumber string // invalid-bank-routing-number
	InvalidBankAccountNumber string // invalid-bank-account-number
	InvalidAccountType       string // a key that is no account type

	// Voice and Language are set on every <Say> of these sentences, such
	// as "Polly.Lupe" and "es-US"; "" leaves Twilio's default.
	Voice, Language string
}

// DefaultSentences returns English sentences in Twilio's default voice,
// close to what <Pay> says.
func DefaultSentences() Sentences {
	return Sentences{
		CardNumber:        "Please enter your credit card number, followed by the pound key.",
		ExpirationDate:    "Please enter your expiration date: two digits for the month and two digits for the year.",
		SecurityCode:      "Please enter the {n} digit security code on the back of your card.",
		SecurityCodeAmex:  "Please enter the 4 digit security code on the front of your card.",
		PostalCode:        "Please enter your billing postal code, followed by the pound key. Only digits can be typed on the keypad; a postal code with letters cannot be entered.",
		BankRoutingNumber: "Please enter your bank's 9 digit routing number.",
		BankAccountNumber: "Please enter your bank account number, followed by the pound key.",
		BankAccountType:   "For a personal checking account, press 1. For a personal savings account, press 2. For a business checking account, press 3. For a business savings account, press 4.",

		InputTimeout:             "We didn't receive any input.",
		InvalidCardNumber:        "That card number is not valid.",
		InvalidCardType:          "We do not accept that type of card.",
		InvalidDate:              "That expiration date is not valid.",
		InvalidSecurityCode:      "That security code is not valid.",
		InvalidPostalCode:        "That postal code is not valid.",
		InvalidBankRoutingNumber: "That routing number is not valid.",
		InvalidBankAccountNumber: "That account number is not valid.",
		InvalidAccountType:       "That was not one of the choices.",
	}
}

// say returns text as a <Say> in the sentences' voice and language.
func (s *Sentences) say(text string) []twiml.GatherVerb {
	return []twiml.GatherVerb{twiml.Say{Text: text, Voice: s.Voice, Language: s.Language}}
}

// errorSentence returns the sentence said before a step asks again after
// an error of type t.
func (s *Sentences) errorSentence(t ErrorType) string {
	switch t {
	case ErrorInputTimeout:
		return s.InputTimeout
	case ErrorInvalidCardNumber:
		return s.InvalidCardNumber
	case ErrorInvalidCardType:
		return s.InvalidCardType
	case ErrorInvalidDate:
		return s.InvalidDate
	case ErrorInvalidSecurityCode:
		return s.InvalidSecurityCode
	case ErrorInvalidPostalCode:
		return s.InvalidPostalCode
	case ErrorInvalidBankRoutingNumber:
		return s.InvalidBankRoutingNumber
	case ErrorInvalidBankAccountNumber:
		return s.InvalidBankAccountNumber
	}
	return ""
}

// securityCode returns the security code's prompt for a code of n digits.
func (s *Sentences) securityCode(n int) string {
	if n == 4 {
		return s.SecurityCodeAmex
	}
	return strings.ReplaceAll(s.SecurityCode, "{n}", string(rune('0'+n)))
}

// check reports the first empty sentence.
func (s *Sentences) check() (string, bool) {
	named := [...]struct{ name, text string }{
		{"CardNumber", s.CardNumber}, {"ExpirationDate", s.ExpirationDate},
		{"SecurityCode", s.SecurityCode}, {"SecurityCodeAmex", s.SecurityCodeAmex},
		{"PostalCode", s.PostalCode}, {"BankRoutingNumber", s.BankRoutingNumber},
		{"BankAccountNumber", s.BankAccountNumber}, {"BankAccountType", s.BankAccountType},
		{"InputTimeout", s.InputTimeout}, {"InvalidCardNumber", s.InvalidCardNumber},
		{"InvalidCardType", s.InvalidCardType}, {"InvalidDate", s.InvalidDate},
		{"InvalidSecurityCode", s.InvalidSecurityCode}, {"InvalidPostalCode", s.InvalidPostalCode},
		{"InvalidBankRoutingNumber", s.InvalidBankRoutingNumber},
		{"InvalidBankAccountNumber", s.InvalidBankAccountNumber},
		{"InvalidAccountType", s.InvalidAccountType},
	}
	for _, n := range named {
		if strings.TrimSpace(n.text) == "" {
			return n.name, false
		}
	}
	return "", true
}
