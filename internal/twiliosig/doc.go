// Package twiliosig computes and checks Twilio's X-Twilio-Signature, as
// described in Twilio's webhook security documentation and checked by its
// helper libraries: the base64 of HMAC-SHA1, keyed with the auth token, over
// the full URL followed by each POST parameter's name and value, sorted by
// name.
//
//	c := twiliosig.NewChecker(authToken)
//	ok := c.Valid(fullURL, r.PostForm, r.Header.Get("X-Twilio-Signature"))
//
// # The signed URL
//
// The URL is signed as Twilio requested it: the scheme and host in the case
// they were configured, any user name and password of HTTP authentication
// (https://user:pass@host/path) included, and the path and query with their
// escapes exactly as sent. Twilio has signed some URLs with the port written
// out and some without, so, as every helper library does, a URL with a port
// is also checked without it, and one without a port also with its scheme's
// default port (443 or 80).
//
// Twilio has also signed three characters of a query in one spelling and
// sent them in the other: the apostrophe, the at sign and the colon, as '
// @ : against %27 %40 %3A (a SIP caller's address, a state name such as
// Trezzo Sull'Adda), and the helper libraries accept both. So a URL whose
// query holds any of them, and that no signature matches as sent, is
// checked again with its query written with all three unescaped and then
// with all three escaped (each with and without its port), never more than
// six MACs in all. A query is respelled whole: a signature over a query
// that writes one of them escaped and another unescaped matches only the
// URL as sent. Nothing else of the URL is rewritten: not the path, not the
// fragment, not any other escape (a space as + or %20 stays as it came).
//
// # Parameters
//
// POST parameters are sorted by name (byte order). A name sent more than
// once is signed once per distinct value, the values sorted: Twilio's
// servers sign repeated names that way, and the helper libraries that keep
// repeated names (twilio-python, twilio-node, twilio-php) check them so.
// Those that keep one value per name (twilio-go, twilio-java,
// twilio-csharp, twilio-ruby) reject such requests. A GET is signed over its
// URL alone: its parameters are in the query.
//
// # JSON bodies
//
// For a request whose body is not a form (JSON), Twilio puts bodySHA256,
// the lowercase hex SHA-256 of the raw body, in the query of the URL it
// signs, and signs that URL with no parameters. ValidBody checks both.
//
// # Security
//
// Signatures are compared in constant time, and the X-Twilio-Signature
// header is decoded strictly (standard base64 with padding, no stray bits),
// so one signature has one spelling. Nothing here returns an error or
// prints a URL; Redacted gives a URL fit for a log line, without its query
// or password.
package twiliosig
