package layerfs_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

func TestBadLayers(t *testing.T) {
	good := imagetest.Tar(imagetest.File("a", strings.Repeat("data ", 1000)))
	gz := gzipBytes(t, good)
	huge := imagetest.File("claims-10GiB", "tiny")
	huge.Size = 10 << 30
	hugeTar := imagetest.Tar(huge)
	tests := []struct {
		name   string
		layer  layerfs.Layer
		verify bool     // Options.VerifyBlobDigest
		want   []string // substrings of the error
	}{
		{
			name:  "truncated gzip",
			layer: blobLayer(gz[:len(gz)/2], sha(good)),
			want:  []string{"layer 0", "unexpected EOF"},
		},
		{
			name:  "gzip cut just after its header",
			layer: blobLayer(gz[:12], sha(good)),
			want:  []string{"layer 0", "unexpected EOF"},
		},
		{
			name:  "corrupt gzip header",
			layer: blobLayer(append([]byte{0x1f, 0x8b, 0xff}, gz[3:]...), sha(good)),
			want:  []string{"layer 0", "gzip"},
		},
		{
			name:  "entry escaping the root",
			layer: tarLayer(imagetest.File("../../etc/cron.d/evil", "x")),
			want:  []string{"layer 0", `entry "../../etc/cron.d/evil"`, "escapes the image root"},
		},
		{
			name:  "hardlink target escaping the root",
			layer: tarLayer(imagetest.Hardlink("x", "../../etc/shadow")),
			want:  []string{`entry "x"`, "hardlink target", "escapes"},
		},
		{
			name:  "diffID does not match the config",
			layer: blobLayer(gz, sha([]byte("something else"))),
			want:  []string{"layer 0", "diffID is " + sha(good).String(), "not the " + sha([]byte("something else")).String()},
		},
		{
			name: "blob digest does not match the manifest, verified on request",
			layer: layerfs.Layer{Digest: sha([]byte("other")), DiffID: sha(good),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(gz)), nil }},
			verify: true,
			want:   []string{"blob digest is " + sha(gz).String()},
		},
		{
			name: "blob digest does not match and there is no diffID to check",
			layer: layerfs.Layer{Digest: sha([]byte("other")),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(gz)), nil }},
			want: []string{"blob digest is " + sha(gz).String()},
		},
		{
			name:  "header claims 10 GiB that is not there",
			layer: blobLayer(hugeTar, sha(hugeTar)),
			want:  []string{`entry "claims-10GiB"`, "unexpected EOF"},
		},
		{
			name:  "missing blob",
			layer: layerfs.Layer{Open: func() (io.ReadCloser, error) { return nil, errors.New("blob sha256:abc not found") }},
			want:  []string{"layer 0", "open blob", "not found"},
		},
		{
			name:  "not a tar at all",
			layer: blobLayer([]byte(strings.Repeat("garbage!", 200)), v1Zero()),
			want:  []string{"layer 0", "read tar"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := layerfs.Options{Digests: true, VerifyBlobDigest: tc.verify, Requests: []layerfs.Request{{Paths: []string{"/claims-10GiB"}}}}
			_, err := layerfs.Walk(context.Background(), []layerfs.Layer{tc.layer}, o)
			if err == nil {
				t.Fatal("Walk succeeded, want an error")
			}
			var le *layerfs.LayerError
			if !errors.As(err, &le) {
				t.Errorf("error %v is not a *LayerError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSkippedLayer(t *testing.T) {
	fsys := walk(t, layerfs.Options{},
		layerfs.Layer{Skip: "non-distributable layer", Open: func() (io.ReadCloser, error) {
			t.Error("a skipped layer was opened")
			return nil, errors.New("opened")
		}},
		tarLayer(imagetest.File("a", "1")))
	if got := visible(fsys); len(got) != 1 || got[0] != "/a@1" {
		t.Errorf("squashed = %v, want [/a@1]", got)
	}
	if ws := fsys.Warnings(); len(ws) != 1 || !strings.Contains(ws[0].Message, "non-distributable") {
		t.Errorf("warnings = %v, want one for the skipped layer", ws)
	}
}

// TestMillionEmptyFiles streams a layer of a million empty files, generated on the
// fly, and checks that the walk completes with memory in proportion to the index.
func TestMillionEmptyFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("streams a million tar entries; skipped with -short")
	}
	const n = 1_000_000
	open := func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			tw := tar.NewWriter(pw)
			err := tw.WriteHeader(&tar.Header{Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755})
			for i := 0; i < n && err == nil; i++ {
				err = tw.WriteHeader(&tar.Header{Name: "d/f" + strconv.Itoa(i), Typeflag: tar.TypeReg, Mode: 0o644})
			}
			if err == nil {
				err = tw.Close()
			}
			pw.CloseWithError(err)
		}()
		return pr, nil
	}
	fsys, err := layerfs.Walk(context.Background(), []layerfs.Layer{{Open: open}}, layerfs.Options{Digests: true})
	if err != nil {
		t.Fatal(err)
	}
	if fsys.Len() != n+1 {
		t.Fatalf("Len = %d, want %d", fsys.Len(), n+1)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// About 200 bytes a file for the entry, its path and its map slot; the stream
	// itself (half a gigabyte of headers) must not be held.
	if limit := uint64(n * 400); ms.HeapAlloc > limit {
		t.Errorf("heap after walk = %d MiB, want under %d MiB", ms.HeapAlloc>>20, limit>>20)
	}
	runtime.KeepAlive(fsys)
}

// TestDiffIDProvesContent: a blob recompressed differently from what the manifest
// names still reads, because its content matches the diffID the config names.
func TestDiffIDProvesContent(t *testing.T) {
	raw := imagetest.Tar(imagetest.File("a", "1"))
	l := blobLayer(gzipBytes(t, raw), sha(raw))
	l.Digest = sha([]byte("the digest of another compression"))
	fsys := walk(t, layerfs.Options{}, l)
	if fsys.Layers()[0].DiffID != sha(raw).String() {
		t.Errorf("diffID = %s", fsys.Layers()[0].DiffID)
	}
}
