package flow

import "bytes"

// stripArguments rewrites each function line of a goroutine stack trace,
// such as "pkg.f(0xc000012345, 0x4)", to "pkg.f(...)". Go prints a frame's
// arguments as machine words, which can be a caller's digits or point to
// them; the function names and file lines are kept. An argument list holds
// no parentheses, so it is the line's last opening one.
func stripArguments(stack []byte) []byte {
	out := make([]byte, 0, len(stack))
	for line := range bytes.Lines(stack) {
		body, nl := bytes.CutSuffix(line, []byte("\n"))
		if len(body) > 0 && body[0] != '\t' && bytes.HasSuffix(body, []byte(")")) {
			if i := bytes.LastIndexByte(body, '('); i > 0 && i < len(body)-2 {
				out = append(out, body[:i]...)
				out = append(out, "(...)"...)
				if nl {
					out = append(out, '\n')
				}
				continue
			}
		}
		out = append(out, line...)
	}
	return out
}
