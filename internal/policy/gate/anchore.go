package gate

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"strings"
)

// AnchoreID is the trigger ID Anchore Engine gave a firing that named no ID of
// its own: the hex MD5 of the gate name, the trigger name and the firing's
// message, concatenated. Gates build the message exactly as Anchore Engine's
// gate wrote it, so whitelist items of Anchore bundles keep matching; plimsoll's
// own IDs (Fire.ID) never hash text. MD5 is Anchore's choice, used here only to
// reproduce its IDs, not for integrity.
func AnchoreID(gateName, trigger, message string) string {
	sum := md5.Sum([]byte(gateName + trigger + message))
	return hex.EncodeToString(sum[:])
}

// PyList writes strings as Python's str() of a list of them does, for Anchore
// messages that embedded one: ['a', 'b'].
func PyList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = PyRepr(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// PyRepr writes a string as Python's repr() does for printable text: in single
// quotes, or double quotes when it holds a single quote and no double quote.
func PyRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	r := strings.NewReplacer(`\`, `\\`, q, `\`+q, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return q + r.Replace(s) + q
}

// PyOct writes a number as Python 3's oct() does: 0o4755.
func PyOct(n uint32) string {
	const digits = "01234567"
	if n == 0 {
		return "0o0"
	}
	var b []byte
	for ; n > 0; n /= 8 {
		b = append([]byte{digits[n%8]}, b...)
	}
	return "0o" + string(b)
}

// AnchoreNamer is implemented by triggers whose firings Anchore Engine
// identified by a hash of its message: AnchoreIDs sets each firing's Anchore
// ID (Fire.Anchore), reading the rule's arguments and the image as the check
// did. It runs after the check, only on what fired.
type AnchoreNamer interface {
	AnchoreIDs(a Args, in *Input, fires []Fire)
}

// WithAnchoreIDs wraps a compiled check so that its firings carry Anchore's
// IDs when the trigger is an AnchoreNamer; other checks are returned as they are.
func WithAnchoreIDs(t Trigger, a Args, check Check) Check {
	n, ok := t.(AnchoreNamer)
	if !ok {
		return check
	}
	return func(ctx context.Context, in *Input) ([]Fire, error) {
		fires, err := check(ctx, in)
		if err == nil && len(fires) > 0 {
			n.AnchoreIDs(a, in, fires)
		}
		return fires, err
	}
}
