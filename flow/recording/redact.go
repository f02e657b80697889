package recording

import "fmt"

// String describes the Client by account; it never shows the secret.
func (c *Client) String() string {
	return "recording.Client{account: " + c.accountSid + ", auth: " + c.authKind + " (redacted)}"
}

// Format writes String for every verb (%v, %+v, %#v, %s, ...), so no
// formatting shows the secret.
func (c *Client) Format(f fmt.State, _ rune) { f.Write([]byte(c.String())) }

// MarshalText returns String, so JSON and slog show no secret either.
func (c *Client) MarshalText() ([]byte, error) { return []byte(c.String()), nil }
