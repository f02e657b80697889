package main

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
)

// callParams returns the parameters Twilio sends with every webhook of an
// inbound voice call, with a fresh CallSid (CA and 32 hex digits).
func callParams(accountSid string) url.Values {
	return url.Values{
		"AccountSid":    {accountSid},
		"ApiVersion":    {"2010-04-01"},
		"CallSid":       {newSid("CA")},
		"CallStatus":    {"in-progress"},
		"CallToken":     {""},
		"Called":        {"+15005550006"},
		"CalledCity":    {"SAN FRANCISCO"},
		"CalledCountry": {"US"},
		"CalledState":   {"CA"},
		"CalledZip":     {"94105"},
		"Caller":        {"+15005550001"},
		"CallerCity":    {"OAKLAND"},
		"CallerCountry": {"US"},
		"CallerState":   {"CA"},
		"CallerZip":     {"94612"},
		"Direction":     {"inbound"},
		"From":          {"+15005550001"},
		"FromCity":      {"OAKLAND"},
		"FromCountry":   {"US"},
		"FromState":     {"CA"},
		"FromZip":       {"94612"},
		"To":            {"+15005550006"},
		"ToCity":        {"SAN FRANCISCO"},
		"ToCountry":     {"US"},
		"ToState":       {"CA"},
		"ToZip":         {"94105"},
	}
}

// newSid returns a Twilio SID: the two-letter prefix and 32 hex digits.
func newSid(prefix string) string {
	var b [16]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
