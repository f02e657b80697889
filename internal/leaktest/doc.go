// Package leaktest checks, for tests, that a secret never prints: it
// prints a value with every fmt verb, both log/slog handlers and
// encoding/json, and looks for the secret's bytes in each form fmt writes
// them when it reaches them by reflection.
//
//	tells := leaktest.Tells(rawKey)
//	leaktest.Check(t, struct{ k Key }{k}, tells, "")
//
// Each package keeps its own table of the forms a secret may be held in;
// this package holds only the printing and the looking.
package leaktest
