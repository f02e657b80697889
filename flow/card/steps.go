package card

import (
	"errors"
	"fmt"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/twiml"
)

// The facts the card number step reveals (flow.Step.Reveals), which later
// steps and the Finish see in the clear: no more of the number than PCI
// DSS allows to be displayed.
const (
	FactBrand  = "card-brand"         // the Brand, such as "visa"
	FactLast4  = "card-last4"         // Last4 of the number
	FactMasked = "card-masked-number" // Mask of the number, such as "xxxx-xxxxxx-x0005"
)

// StepBankAccountType names the menu step BankSteps asks first. It is no
// <Pay> step: <Pay> takes the account type from its bankAccountType
// attribute, not from the caller.
const StepBankAccountType Step = "bank-account-type"

// InterruptKey is the key that ends a capture at any of its steps, as
// <Pay>'s caller-interrupted-with-star.
const InterruptKey twiml.FinishOnKey = "*"

// ErrOptions reports Options or BankOptions that New would refuse; it
// wraps flow.ErrDefinition.
var ErrOptions = fmt.Errorf("%w: card: invalid options", flow.ErrDefinition)

// Options configure the card steps, in the manner of <Pay>'s attributes.
// The zero value asks for a visa, mastercard or amex card number, its
// expiry and its security code, in English.
type Options struct {
	// Brands are the accepted brands (<Pay>'s validCardTypes); nil means
	// DefaultBrands.
	Brands []Brand

	// PostalCode asks for the billing postal code after the security code
	// (<Pay>'s postalCode, which is on by default there: here it is off,
	// since a keypad cannot type the letters of many countries' codes).
	PostalCode bool
	// MinPostalCodeLen is the shortest postal code taken (<Pay>'s
	// minPostalCodeLength); 0 means 1.
	MinPostalCodeLen int

	// Attempts is how many times each step asks (<Pay>'s maxAttempts);
	// 0 means flow.DefaultAttempts.
	Attempts int
	// Timeout is how long each step waits for a key (<Pay>'s timeout);
	// 0 means flow.DefaultGatherTimeout.
	Timeout time.Duration

	// Sentences are what the steps say; nil means DefaultSentences.
	Sentences *Sentences
	// Prompts replace sentences, as <Pay>'s nested <Prompt> elements do.
	Prompts []Prompt

	// OffURL keeps every step's sealed value off the action URLs, and so
	// off Twilio's request logs (flow.Step.OffURL): the flow then needs
	// flow.WithValueStore.
	OffURL bool
	// SecurityCodeInURL carries the sealed security code in the action
	// URLs, as any other value, instead of keeping it off them, which is
	// the default: PCI DSS forbids keeping a security code after
	// authorization, even encrypted, and Twilio keeps the URLs it
	// requested in its logs. With it (and without OffURL), the flow needs
	// no ValueStore.
	SecurityCodeInURL bool

	// Then names what follows the last step: a step's Name, flow.End, or
	// "" for the next step in the flow's list.
	Then string
}

// Prompt replaces what a step says, as <Pay>'s <Prompt for="…"
// errorType="…" attempt="…" cardType="…"> does. The first Prompt that
// matches is used; with none, the step says its sentence.
type Prompt struct {
	// For is the step the prompt belongs to.
	For Step
	// ErrorType "" replaces the step's prompt; an error type replaces the
	// sentence said before the step asks again after that error (the
	// step's prompt follows it).
	ErrorType ErrorType
	// Attempt selects one attempt: 1 is the first ask, 2 the first retry;
	// 0 matches any.
	Attempt int
	// CardType selects the brand the card number revealed (for the
	// security code and the steps after the number); "" matches any.
	CardType Brand
	// Verbs are said.
	Verbs []twiml.GatherVerb
}

// kind is one way a step asks again: the flow's reason, the error that
// selects it (nil: any), and <Pay>'s error type.
type kind struct {
	reason flow.Reason
	err    error
	typ    ErrorType
}

// errorKinds are the ways a step that refuses entries with err (of <Pay>
// type typ) asks again.
func errorKinds(typ ErrorType, err error) []kind {
	return []kind{
		{flow.ReasonTimeout, nil, ErrorInputTimeout},
		{flow.ReasonInvalid, nil, typ},
		{flow.ReasonRejected, err, typ},
	}
}

// builder makes the steps of one capture from its options.
type builder struct {
	say      Sentences
	prompts  []Prompt
	attempts int
	timeout  time.Duration
}

func newBuilder(say *Sentences, prompts []Prompt, attempts int, timeout time.Duration) (*builder, error) {
	b := &builder{say: DefaultSentences(), prompts: prompts, attempts: attempts, timeout: timeout}
	if say != nil {
		b.say = *say
	}
	if name, ok := b.say.check(); !ok {
		return nil, fmt.Errorf("%w: sentence %s is empty", ErrOptions, name)
	}
	for _, p := range prompts {
		if len(p.Verbs) == 0 {
			return nil, fmt.Errorf("%w: a prompt for %s has no verbs", ErrOptions, p.For)
		}
	}
	return b, nil
}

// step returns a keypad step named for s, with its prompt and retries,
// refusing speech: a transcript would pass through Twilio's speech
// providers.
func (b *builder) step(s Step, digits flow.Digits, prompt func(c *flow.Call) string, kinds []kind) flow.Step {
	return flow.Step{
		Name:         string(s),
		Digits:       digits,
		Input:        flow.InputKeys,
		Timeout:      b.timeout,
		Attempts:     b.attempts,
		InterruptKey: InterruptKey,
		PromptFor:    b.promptFor(s, prompt),
		Retries:      b.retries(s, kinds),
	}
}

// promptFor picks the step's Prompt for the attempt and brand, else its
// sentence.
func (b *builder) promptFor(s Step, sentence func(c *flow.Call) string) func(c *flow.Call) []twiml.GatherVerb {
	return func(c *flow.Call) []twiml.GatherVerb {
		brand, _ := c.Fact(FactBrand)
		for _, p := range b.prompts {
			if p.For == s && p.ErrorType == "" && (p.Attempt == 0 || p.Attempt == c.Attempt()) &&
				(p.CardType == "" || string(p.CardType) == brand) {
				return p.Verbs
			}
		}
		return b.say.say(sentence(c))
	}
}

// retries are the step's Prompts for each kind, then its sentences.
func (b *builder) retries(s Step, kinds []kind) []flow.Retry {
	var out []flow.Retry
	for _, k := range kinds {
		for _, p := range b.prompts {
			if p.For == s && p.ErrorType == k.typ && p.ErrorType != "" {
				out = append(out, flow.Retry{Reason: k.reason, Attempt: p.Attempt, Err: k.err, Verbs: p.Verbs})
			}
		}
	}
	for _, k := range kinds {
		out = append(out, flow.Retry{Reason: k.reason, Err: k.err, Verbs: b.say.say(b.say.errorSentence(k.typ))})
	}
	return out
}

// fixed returns a prompt function that says text.
func fixed(text string) func(*flow.Call) string { return func(*flow.Call) string { return text } }

// Steps returns the steps of a card capture, in order: the card number
// (StepCardNumber), its expiry (StepExpirationDate), its security code
// (StepSecurityCode) and, with Options.PostalCode, the billing postal
// code (StepPostalCode). Each is named and its field is named for the
// <Pay> step it is, asks on the keypad only, and ends the capture when
// the caller presses '*' (InterruptKey).
//
//   - The card number is 12 to 19 digits ended with '#', checked by
//     CheckNumber against o.Brands. It reveals FactBrand, FactLast4 and
//     FactMasked.
//   - The expiry is MMYY, checked by CheckExpiry against the flow's clock.
//   - The security code is as long as the revealed brand's
//     (SecurityCodeLen), checked by CheckSecurityCode.
//   - The postal code is o.MinPostalCodeLen to MaxPostalCodeLen digits,
//     ended with '#'; its prompt says that letters cannot be typed.
//
// Before a step asks again it says the sentence for <Pay>'s error type:
// input-timeout after silence, invalid-card-type for a brand not
// accepted, and the step's own invalid-… otherwise.
//
// The security code is kept off the action URLs (flow.Step.OffURL)
// unless o.SecurityCodeInURL, so the flow that runs them needs
// flow.WithValueStore: a flow.MemoryValueStore for one replica, a shared
// one (package flow/redisstore) for several. It should also have
// flow.WithEveryEnding and flow.WithFinishOnHangUp (FlowOptions), so that
// its Finish sees every Result of <Pay> (ResultOf). Errors wrap
// ErrOptions.
func Steps(o Options) ([]flow.Step, error) {
	brands := o.Brands
	if brands == nil {
		brands = DefaultBrands()
	}
	for _, br := range brands {
		if !br.Known() {
			return nil, fmt.Errorf("%w: unknown brand in Brands", ErrOptions)
		}
	}
	if len(brands) == 0 {
		return nil, fmt.Errorf("%w: Brands accepts no brand", ErrOptions)
	}
	if o.MinPostalCodeLen < 0 || o.MinPostalCodeLen > MaxPostalCodeLen-1 {
		return nil, fmt.Errorf("%w: MinPostalCodeLen outside 0 to %d", ErrOptions, MaxPostalCodeLen-1)
	}
	b, err := newBuilder(o.Sentences, o.Prompts, o.Attempts, o.Timeout)
	if err != nil {
		return nil, err
	}
	number := b.step(StepCardNumber, flow.Between(MinNumberLen, MaxNumberLen), fixed(b.say.CardNumber),
		append(errorKinds(ErrorInvalidCardNumber, ErrInvalidNumber)[:2],
			kind{flow.ReasonRejected, ErrBrandNotAccepted, ErrorInvalidCardType},
			kind{flow.ReasonRejected, ErrInvalidNumber, ErrorInvalidCardNumber}))
	number.Validate = func(v string) error {
		_, err := CheckNumber(v, brands)
		return err
	}
	number.Reveals = []string{FactBrand, FactLast4, FactMasked}
	number.Reveal = revealNumber

	expiry := b.step(StepExpirationDate, flow.Exactly(4), fixed(b.say.ExpirationDate),
		errorKinds(ErrorInvalidDate, ErrInvalidDate))
	expiry.Check = func(c *flow.Call, v string) error { return CheckExpiry(v, c.Now()) }

	code := b.step(StepSecurityCode, flow.Between(3, 4),
		func(c *flow.Call) string { return b.say.securityCode(SecurityCodeLen(revealedBrand(c))) },
		errorKinds(ErrorInvalidSecurityCode, ErrInvalidSecurityCode))
	code.DigitsFor = func(c *flow.Call) flow.Digits { return flow.Exactly(SecurityCodeLen(revealedBrand(c))) }
	code.Check = func(c *flow.Call, v string) error { return CheckSecurityCode(v, revealedBrand(c)) }

	steps := []flow.Step{number, expiry, code}
	if o.PostalCode {
		minLen := max(o.MinPostalCodeLen, 1)
		postal := b.step(StepPostalCode, flow.Between(minLen, MaxPostalCodeLen), fixed(b.say.PostalCode),
			errorKinds(ErrorInvalidPostalCode, ErrInvalidPostalCode))
		postal.Validate = func(v string) error { return CheckPostalCode(v, minLen) }
		steps = append(steps, postal)
	}
	for i := range steps {
		steps[i].OffURL = o.OffURL
	}
	steps[2].OffURL = o.OffURL || !o.SecurityCodeInURL
	steps[len(steps)-1].Then = o.Then
	return steps, nil
}

// revealNumber derives the facts of an accepted card number.
func revealNumber(v string) map[string]string {
	brand, _ := BrandOf(v)
	return map[string]string{FactBrand: string(brand), FactLast4: Last4(v), FactMasked: Mask(v)}
}

// revealedBrand is the brand the card number step revealed, or "" when
// the call holds none (a flow that asks the code without the number).
func revealedBrand(c *flow.Call) Brand {
	b, _ := c.Fact(FactBrand)
	return Brand(b)
}

// AccountType is a bank account's type, as <Pay>'s bankAccountType names
// it.
type AccountType string

// The account types, in the order of the menu BankSteps asks: the key
// for each is its place, 1 to 4.
const (
	ConsumerChecking   AccountType = "consumer-checking"
	ConsumerSavings    AccountType = "consumer-savings"
	CommercialChecking AccountType = "commercial-checking"
	CommercialSavings  AccountType = "commercial-savings"
)

var accountTypes = [...]AccountType{ConsumerChecking, ConsumerSavings, CommercialChecking, CommercialSavings}

// errAccountType is what the menu refuses a key with.
var errAccountType = errors.New("card: no such account type")

// BankOptions configure the bank steps.
type BankOptions struct {
	// MinAccountNumberLen and MaxAccountNumberLen bound the account
	// number; 0 means 1 and MaxAccountNumberLen (the package constant).
	MinAccountNumberLen, MaxAccountNumberLen int
	// AccountType, if set, is the account's type, and the menu is not
	// asked (as <Pay>'s bankAccountType attribute).
	AccountType AccountType

	// OffURL keeps the routing and account numbers off the action URLs,
	// as in Options.
	OffURL bool

	// Attempts, Timeout, Sentences, Prompts and Then are as in Options.
	Attempts  int
	Timeout   time.Duration
	Sentences *Sentences
	Prompts   []Prompt
	Then      string
}

// BankSteps returns the steps of a bank account capture (an ACH debit),
// in order: the account type as a Plain menu (StepBankAccountType, keys 1
// to 4 for the AccountTypes in order) unless o.AccountType is set, the
// routing number (StepBankRoutingNumber, nine digits checked by
// CheckRoutingNumber) and the account number (StepBankAccountNumber, ended
// with '#', checked by CheckAccountNumber). Like Steps, they are keypad
// only and '*' ends the capture. Errors wrap ErrOptions.
func BankSteps(o BankOptions) ([]flow.Step, error) {
	minLen, maxLen := max(o.MinAccountNumberLen, 1), o.MaxAccountNumberLen
	if maxLen == 0 {
		maxLen = MaxAccountNumberLen
	}
	if o.MinAccountNumberLen < 0 || maxLen > MaxAccountNumberLen || minLen > maxLen {
		return nil, fmt.Errorf("%w: account number lengths outside 1 to %d or crossed", ErrOptions, MaxAccountNumberLen)
	}
	if o.AccountType != "" && accountTypeKey(o.AccountType) == "" {
		return nil, fmt.Errorf("%w: unknown AccountType", ErrOptions)
	}
	b, err := newBuilder(o.Sentences, o.Prompts, o.Attempts, o.Timeout)
	if err != nil {
		return nil, err
	}
	var steps []flow.Step
	if o.AccountType == "" {
		menu := b.step(StepBankAccountType, flow.Exactly(1), fixed(b.say.BankAccountType), nil)
		menu.Plain = true
		menu.Validate = func(v string) error {
			if v < "1" || v > "4" {
				return errAccountType
			}
			return nil
		}
		menu.Retries = []flow.Retry{
			{Reason: flow.ReasonTimeout, Verbs: b.say.say(b.say.InputTimeout)},
			{Reason: flow.ReasonInvalid, Verbs: b.say.say(b.say.InvalidAccountType)},
			{Reason: flow.ReasonRejected, Verbs: b.say.say(b.say.InvalidAccountType)},
		}
		steps = append(steps, menu)
	}
	routing := b.step(StepBankRoutingNumber, flow.Exactly(RoutingNumberLen), fixed(b.say.BankRoutingNumber),
		errorKinds(ErrorInvalidBankRoutingNumber, ErrInvalidRoutingNumber))
	routing.Validate = CheckRoutingNumber
	digits := flow.Exactly(minLen)
	if minLen < maxLen {
		digits = flow.Between(minLen, maxLen)
	}
	account := b.step(StepBankAccountNumber, digits, fixed(b.say.BankAccountNumber),
		errorKinds(ErrorInvalidBankAccountNumber, ErrInvalidAccountNumber))
	account.Validate = func(v string) error { return CheckAccountNumber(v, minLen, maxLen) }
	account.Then = o.Then
	routing.OffURL, account.OffURL = o.OffURL, o.OffURL
	return append(steps, routing, account), nil
}

// accountTypeKey returns the menu key of t, or "" for no account type.
func accountTypeKey(t AccountType) string {
	for i, a := range accountTypes {
		if a == t {
			return string(rune('1' + i))
		}
	}
	return ""
}

// FlowOptions are the options a flow running these steps needs for its
// Finish to see every <Pay> result: flow.WithEveryEnding (too many failed
// attempts, '*') and flow.WithFinishOnHangUp (the caller hung up).
func FlowOptions() []flow.Option {
	return []flow.Option{flow.WithEveryEnding(), flow.WithFinishOnHangUp()}
}
