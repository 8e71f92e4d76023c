package sbom

import (
	"bytes"
	"testing"
)

// FuzzReadJSON checks that whatever decodes re-encodes to a fixed point.
func FuzzReadJSON(f *testing.F) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"schema":"plimsoll-sbom/1","source":{"reference":"","kind":""},"packages":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		var one, two bytes.Buffer
		if err := WriteJSON(&one, s); err != nil {
			t.Fatalf("encode decoded document: %v", err)
		}
		s2, err := ReadJSON(bytes.NewReader(one.Bytes()))
		if err != nil {
			t.Fatalf("decode re-encoded document: %v\n%s", err, one.String())
		}
		if err := WriteJSON(&two, s2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(one.Bytes(), two.Bytes()) {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", one.String(), two.String())
		}
	})
}
