package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// jsonLines maps every field path of a JSON document ("policies[0].rules[2]",
// "policies[0].rules[2].params") to the line it starts on, so errors found
// after decoding an Anchore bundle can name the line. It returns what it
// recorded before any syntax error; the decoder reports those.
func jsonLines(data []byte) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := lineWalker{dec: dec, data: data, lines: lines}
	_ = w.value("")
	return lines
}

type lineWalker struct {
	dec   *json.Decoder
	data  []byte
	lines map[string]int
	depth int
}

// maxJSONDepth bounds the walk's recursion on hostile input; the decoder
// itself rejects documents nested deeper than 10000.
const maxJSONDepth = 200

func (w *lineWalker) line() int { return lineOf(w.data, w.dec.InputOffset()) }

// value reads one value at path, recording the line of its first token when
// path has none yet (an object key records its own line first).
func (w *lineWalker) value(path string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if _, ok := w.lines[path]; !ok && path != "" {
		w.lines[path] = w.line()
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if w.depth++; w.depth > maxJSONDepth {
		return fmt.Errorf("nested deeper than %d", maxJSONDepth)
	}
	defer func() { w.depth-- }()
	switch d {
	case '{':
		for w.dec.More() {
			k, err := w.dec.Token()
			if err != nil {
				return err
			}
			key, _ := k.(string)
			p := key
			if path != "" {
				p = path + "." + key
			}
			if _, seen := w.lines[p]; !seen {
				w.lines[p] = w.line()
			}
			if err := w.value(p); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; w.dec.More(); i++ {
			if err := w.value(fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	_, err = w.dec.Token() // the closing delimiter
	return err
}

// lineIn finds the line of a field path in lines, or of its nearest parent;
// 1 when none is known. A field may carry a note after a space ("rules[0]
// (id r1)").
func lineIn(lines map[string]int, field string) int {
	field, _, _ = strings.Cut(field, " ")
	for field != "" {
		if l, ok := lines[field]; ok {
			return l
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 1
}
