package trust_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// rawLayout writes an OCI layout by hand, blob by blob.
type rawLayout struct {
	t   *testing.T
	dir string
}

func newRawLayout(t *testing.T) *rawLayout {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "sha256"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return &rawLayout{t, dir}
}

// blob stores b and returns its descriptor's JSON fields.
func (l *rawLayout) blob(mediaType string, b []byte) map[string]any {
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	if err := os.WriteFile(filepath.Join(l.dir, "blobs", "sha256", h), b, 0o644); err != nil {
		l.t.Fatal(err)
	}
	return map[string]any{"mediaType": mediaType, "digest": "sha256:" + h, "size": len(b)}
}

func (l *rawLayout) json(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		l.t.Fatal(err)
	}
	return b
}

const (
	ociManifest = "application/vnd.oci.image.manifest.v1+json"
	ociIndex    = "application/vnd.oci.image.index.v1+json"
)

// artifact stores an artifact manifest of type typ attached to subject.
func (l *rawLayout) artifact(typ, subject, content string) map[string]any {
	cfg := l.blob("application/vnd.oci.empty.v1+json", []byte("{}"))
	layer := l.blob(typ, []byte(content))
	m := map[string]any{"schemaVersion": 2, "mediaType": ociManifest, "artifactType": typ, "config": cfg, "layers": []any{layer}}
	if subject != "" {
		m["subject"] = map[string]any{"mediaType": ociManifest, "digest": subject, "size": 1}
	}
	return l.blob(ociManifest, l.json(m))
}

func (l *rawLayout) index(entries ...map[string]any) []byte {
	return l.json(map[string]any{"schemaVersion": 2, "mediaType": ociIndex, "manifests": entries})
}

func (l *rawLayout) write(entries ...map[string]any) {
	if err := os.WriteFile(filepath.Join(l.dir, "index.json"), l.index(entries...), 0o644); err != nil {
		l.t.Fatal(err)
	}
}

func with(d map[string]any, k, v string) map[string]any {
	d = maps(d)
	d["annotations"] = map[string]string{k: v}
	return d
}

func maps(d map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range d {
		out[k] = v
	}
	return out
}

func TestLayoutReferrers(t *testing.T) {
	ctx := context.Background()
	accept := func(at string) bool { return at == notaryT }
	l := newRawLayout(t)
	img := l.blob(ociManifest, l.json(map[string]any{"schemaVersion": 2, "mediaType": ociManifest, "config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + strings.Repeat("0", 64), "size": 2}, "layers": []any{}}))
	d := img["digest"].(string)
	top := l.artifact(notaryT, d, "top-level referrer")
	nested := l.artifact(notaryT, d, "referrer in a nested index")
	viaTag := l.artifact(notaryT, d, "referrer listed by the referrers tag")
	elsewhere := l.artifact(notaryT, "sha256:"+strings.Repeat("1", 64), "another image's")
	otherType := l.artifact("application/vnd.example", d, "not accepted")
	inner := l.blob(ociIndex, l.index(nested))
	tagged := l.blob(ociIndex, l.index(viaTag))
	l.write(with(img, trust.RefNameAnnotation, "1"), top, inner, elsewhere, otherType,
		with(tagged, trust.RefNameAnnotation, strings.Replace(d, ":", "-", 1)))

	s, err := trust.OpenLayout("oci-dir:" + l.dir + ":1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	refs, err := s.Referrers(ctx, d, accept)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range refs {
		got = append(got, r.Digest)
	}
	want := []string{top["digest"].(string), nested["digest"].(string), viaTag["digest"].(string)}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Referrers = %v, want %v (top-level, nested, referrers tag; not another image's or another type)", got, want)
	}
	if b, err := refs[0].ReadBlob(refs[0].Layers[0], 1<<10); err != nil || !strings.Contains(string(b), "referrer") {
		t.Errorf("ReadBlob = %q, %v", b, err)
	}
	if desc, err := s.Descriptor(ctx, d); err != nil || desc.Size != int64(img["size"].(int)) || string(desc.MediaType) != ociManifest {
		t.Errorf("Descriptor = %+v, %v", desc, err)
	}
	if m, err := s.Tagged(ctx, "missing.sig"); m != nil || err != nil {
		t.Errorf("Tagged(missing) = %+v, %v, want nothing", m, err)
	}
}

func TestLayoutBadBlobs(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		spoil func(l *rawLayout, tagged map[string]any)
		err   string
	}{
		{"tampered", func(l *rawLayout, tagged map[string]any) {
			p := filepath.Join(l.dir, "blobs", "sha256", strings.TrimPrefix(tagged["digest"].(string), "sha256:"))
			if err := os.WriteFile(p, []byte(`{"schemaVersion":2,"layers":[]}`), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "does not match its digest"},
		{"missing", func(l *rawLayout, tagged map[string]any) {
			if err := os.Remove(filepath.Join(l.dir, "blobs", "sha256", strings.TrimPrefix(tagged["digest"].(string), "sha256:"))); err != nil {
				t.Fatal(err)
			}
		}, "missing from the layout"},
		{"outside the layout", func(l *rawLayout, tagged map[string]any) {
			p := filepath.Join(l.dir, "blobs", "sha256", strings.TrimPrefix(tagged["digest"].(string), "sha256:"))
			os.Remove(p)
			if err := os.Symlink("/etc/passwd", p); err != nil {
				t.Fatal(err)
			}
		}, "blob"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newRawLayout(t)
			sig := l.blob(ociManifest, l.json(map[string]any{"schemaVersion": 2, "mediaType": ociManifest, "layers": []any{}}))
			l.write(with(sig, trust.RefNameAnnotation, "sha256-abc.sig"))
			tc.spoil(l, sig)
			s, err := trust.OpenLayout("oci-dir:" + l.dir)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Tagged(ctx, "sha256-abc.sig"); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Tagged = %v, want an error saying %q", err, tc.err)
			}
		})
	}
}

func TestParseLayoutIndex(t *testing.T) {
	h := strings.Repeat("a", 64)
	for _, tc := range []struct{ name, raw, err string }{
		{"ok", `{"schemaVersion":2,"manifests":[{"mediaType":"` + ociManifest + `","digest":"sha256:` + h + `","size":3}]}`, ""},
		{"not JSON", `{`, "not an image index"},
		{"schema 1", `{"schemaVersion":1}`, "schemaVersion 1"},
		{"a manifest", `{"schemaVersion":2,"mediaType":"` + ociManifest + `"}`, "not an image index"},
		{"path in digest", `{"schemaVersion":2,"manifests":[{"digest":"sha256:../../etc/passwd"}]}`, "not an image index"},
		{"sha512", `{"schemaVersion":2,"manifests":[{"digest":"sha512:` + h + h + `"}]}`, "not sha256"},
		{"upper-case hex", `{"schemaVersion":2,"manifests":[{"digest":"sha256:` + strings.ToUpper(h) + `"}]}`, "non-hex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := trust.ParseLayoutIndex([]byte(tc.raw))
			if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("ParseLayoutIndex error = %v, want %q", err, tc.err)
			}
		})
	}
}

func FuzzParseLayoutIndex(f *testing.F) {
	h := strings.Repeat("a", 64)
	f.Add([]byte(`{"schemaVersion":2,"manifests":[{"mediaType":"` + ociIndex + `","digest":"sha256:` + h + `","size":3,"annotations":{"org.opencontainers.image.ref.name":"sha256-` + h + `.sig"}}]}`))
	f.Add([]byte(`{"schemaVersion":2,"manifests":[{"digest":"sha256:` + h + `","artifactType":"` + notaryT + `"}]}`))
	for _, s := range artifactSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ds, err := trust.ParseLayoutIndex(raw)
		if err != nil {
			return
		}
		for _, d := range ds {
			if d.Digest.Algorithm != "sha256" || len(d.Digest.Hex) != 64 || strings.ContainsAny(d.Digest.Hex, "/.\\") {
				t.Fatalf("accepted digest %q", d.Digest)
			}
		}
	})
}

// TestOpenLayoutBadInput checks that a layout reference that cannot be read is
// a clear error naming the file and the reason, for directories and archives.
func TestOpenLayoutBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gz := write("layout.tar.gz", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	junk := write("junk.tar", []byte("not a tar archive at all, just text"))
	file := write("file", []byte("x"))
	for _, tc := range []struct{ ref, want string }{
		{"oci-archive:" + gz, "compressed"},
		{"oci-archive:" + junk, "junk.tar"},
		{"oci-archive:" + filepath.Join(dir, "missing.tar"), "missing.tar"},
		{"oci-dir:" + file, "is not a directory"},
		{"oci-dir:" + filepath.Join(dir, "missing"), "missing"},
		{"docker-archive:" + junk, "not an OCI layout reference"},
	} {
		l, err := trust.OpenLayout(tc.ref)
		if err == nil {
			l.Close()
			t.Errorf("OpenLayout(%s) succeeded", tc.ref)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenLayout(%s) = %v; want it to say %q", tc.ref, err, tc.want)
		}
	}
}
