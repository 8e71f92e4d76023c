package cosign

import (
	"errors"
	"strings"
	"testing"
)

const digest = "sha256:2b63b4b0d9b2c1ab63fe2e3fd8e2c6ac9b2c1ab63fe2e3fd8e2c6ac9b2c1ab63"

func payload(critical string) string {
	return `{"critical":` + critical + `,"optional":{"creator":"test","n":1}}`
}

const goodCritical = `{"identity":{"docker-reference":"r/app"},"image":{"docker-manifest-digest":"` + digest + `"},"type":"cosign container image signature"}`

func TestParsePayload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		wantErr error
		check   string // Check's error, when it should fail
	}{
		{name: "cosign payload", in: payload(goodCritical)},
		{name: "no optional", in: `{"critical":` + goodCritical + `}`},
		{name: "optional null", in: `{"critical":` + goodCritical + `,"optional":null}`},
		{name: "other type", in: payload(strings.Replace(goodCritical, "cosign container image signature", "atomic container signature", 1)), check: "payload type"},
		{name: "other digest", in: payload(strings.Replace(goodCritical, digest, "sha256:"+strings.Repeat("0", 64), 1)), check: "payload signs"},
		{name: "upper-case digest", in: payload(strings.Replace(goodCritical, digest, strings.ToUpper(digest), 1)), check: "payload signs"},
		{name: "no digest", in: payload(`{"identity":{},"image":{},"type":"cosign container image signature"}`), check: "payload signs"},
		{name: "unknown critical field", in: payload(strings.Replace(goodCritical, `"type"`, `"extra":1,"type"`, 1)), wantErr: ErrPayload},
		{name: "unknown top-level field", in: `{"critical":` + goodCritical + `,"x":1}`, wantErr: ErrPayload},
		{name: "no critical", in: `{"optional":{}}`, wantErr: ErrPayload},
		{name: "critical null", in: `{"critical":null}`, wantErr: ErrPayload},
		{name: "not json", in: `{"critical":`, wantErr: ErrPayload},
		{name: "trailing data", in: payload(goodCritical) + `{}`, wantErr: ErrPayload},
		{name: "too large", in: payload(goodCritical) + strings.Repeat(" ", maxPayload), wantErr: ErrPayload},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePayload([]byte(tc.in))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ParsePayload error = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			err = p.Check(digest)
			switch {
			case tc.check == "" && err != nil:
				t.Errorf("Check = %v, want nil", err)
			case tc.check != "" && (err == nil || !strings.Contains(err.Error(), tc.check)):
				t.Errorf("Check = %v, want an error containing %q", err, tc.check)
			}
		})
	}
}

func FuzzParsePayload(f *testing.F) {
	f.Add([]byte(payload(goodCritical)))
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":""},"image":{"docker-manifest-digest":""},"type":""}}`))
	f.Add([]byte(`{"critical":null,"optional":{"a":[1,{"b":null}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePayload(b)
		if err != nil {
			if p != nil {
				t.Fatal("ParsePayload returned a payload with an error")
			}
			return
		}
		d := p.Critical.Image.DockerManifestDigest
		if err := p.Check(d); (err == nil) != (d != "" && p.Critical.Type == SignatureType) {
			t.Fatalf("Check(%q) = %v for type %q", d, err, p.Critical.Type)
		}
	})
}
