package leaktest

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Tells returns substrings any of which in an output means secret leaked:
// eight of its bytes as hex, decimal, Go syntax, quoted and raw. It looks
// at secret[8:16], so secret must be at least 16 bytes long.
func Tells(secret []byte) []string {
	mid := secret[8:16]
	goSyntax := fmt.Sprintf("%#v", mid)
	return []string{
		hex.EncodeToString(mid),
		strings.Trim(fmt.Sprint(mid), "[]"),
		goSyntax[strings.IndexByte(goSyntax, '{')+1 : len(goSyntax)-1],
		strings.Trim(strconv.Quote(string(mid)), `"`),
		string(mid),
	}
}

// Leaked reports which tell, if any, out contains, as it is or in lower
// case.
func Leaked(out string, tells []string) (string, bool) {
	for _, tell := range tells {
		if strings.Contains(out, tell) || strings.Contains(strings.ToLower(out), tell) {
			return tell, true
		}
	}
	return "", false
}
