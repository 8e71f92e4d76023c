package layerfs_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// paxRecord formats one PAX extended-header record ("%d key=value\n", the length
// counting itself).
func paxRecord(k, v string) string {
	s := " " + k + "=" + v + "\n"
	for n := len(s); ; {
		r := fmt.Sprintf("%d%s", n, s)
		if len(r) == n {
			return r
		}
		n = len(r)
	}
}

// ustarHeader writes a bare 512-byte ustar header with its checksum.
func ustarHeader(name string, typ byte, mode, size int64) []byte {
	h := make([]byte, 512)
	copy(h, name)
	copy(h[100:], fmt.Sprintf("%07o\x00", mode))
	copy(h[108:], "0000000\x00")
	copy(h[116:], "0000000\x00")
	copy(h[124:], fmt.Sprintf("%011o\x00", size))
	copy(h[136:], "00000000000\x00")
	h[156] = typ
	copy(h[257:], "ustar\x0000")
	copy(h[148:], "        ")
	sum := 0
	for _, c := range h {
		sum += int(c)
	}
	copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
	return h
}

// TestSparseEntryNotRead: a PAX sparse entry claims a terabyte from a few stored
// bytes; reading it would stream a terabyte of holes. The walk must index it,
// warn, and hold nothing — even when a request wants it and digests are on.
func TestSparseEntryNotRead(t *testing.T) {
	const logical = 1 << 40
	recs := paxRecord("GNU.sparse.major", "0") + paxRecord("GNU.sparse.minor", "1") +
		paxRecord("GNU.sparse.numblocks", "1") + paxRecord("GNU.sparse.map", "0,0") +
		paxRecord("GNU.sparse.size", fmt.Sprint(logical)) + paxRecord("GNU.sparse.name", "usr/bin/app")
	var b bytes.Buffer
	b.Write(ustarHeader("PaxHeaders/app", tar.TypeXHeader, 0o644, int64(len(recs))))
	b.WriteString(recs)
	b.Write(make([]byte, (512-len(recs)%512)%512))
	b.Write(ustarHeader("usr/bin/app", tar.TypeReg, 0o755, 0))
	b.Write(make([]byte, 1024))
	streamed := false
	o := layerfs.Options{Digests: true, Requests: []layerfs.Request{
		{Paths: []string{"/usr/bin/app"}},
		{Match: func(_ string, h *tar.Header) bool { return h.Mode&0o111 != 0 }, ReduceStream: func(string, io.Reader) ([]byte, error) {
			streamed = true
			return nil, nil
		}},
	}}
	fsys, err := layerfs.Walk(context.Background(), []layerfs.Layer{blobLayer(b.Bytes(), v1Zero())}, o)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := fsys.Lookup("/usr/bin/app")
	if !ok || f.Size != logical || f.Digest != "" || streamed {
		t.Errorf("sparse entry = %+v (streamed %t); want indexed at its logical size, not read", f, streamed)
	}
	if _, err := fsys.ReadFile("/usr/bin/app"); !errors.Is(err, layerfs.ErrNotHeld) {
		t.Errorf("ReadFile = %v, want ErrNotHeld", err)
	}
	if ws := fsys.Warnings(); len(ws) != 1 || !strings.Contains(ws[0].Message, "sparse") {
		t.Errorf("warnings = %v, want one about the sparse file", ws)
	}
}

func TestHeldBudget(t *testing.T) {
	o := layerfs.Options{MaxHeldBytes: 10, Requests: []layerfs.Request{{Globs: []string{"/*"}}}}
	fsys := walk(t, o, tarLayer(imagetest.File("a", "123456"), imagetest.File("b", "123456"), imagetest.File("c", "1234")))
	var held []string
	for _, p := range []string{"/a", "/b", "/c"} {
		if _, err := fsys.ReadFile(p); err == nil {
			held = append(held, p)
		}
	}
	if len(held) != 2 || held[0] != "/a" || held[1] != "/c" {
		t.Errorf("held %v; want /a and /c within the 10-byte budget", held)
	}
	if ws := fsys.Warnings(); len(ws) != 1 || ws[0].Path != "/b" || !strings.Contains(ws[0].Message, "budget") {
		t.Errorf("warnings = %v, want one naming /b", ws)
	}
}

// TestReplacedEntryReleasesContent: a later entry for the same path in one layer
// (here a symlink replacing a file) must not leave the file's content behind.
func TestReplacedEntryReleasesContent(t *testing.T) {
	o := layerfs.Options{Requests: []layerfs.Request{{Paths: []string{"/etc/x"}}}}
	fsys := walk(t, o, tarLayer(imagetest.File("etc/x", "first"), imagetest.Symlink("etc/x", "y")))
	if c, ok := fsys.LayerContent(0, "/etc/x"); ok {
		t.Errorf("LayerContent(/etc/x) = %q after a symlink replaced the file", c)
	}
}

func TestCancelledMidFile(t *testing.T) {
	big := imagetest.File("big", strings.Repeat("z", 16<<20))
	ctx, cancel := context.WithCancel(context.Background())
	reads := 0
	o := layerfs.Options{Requests: []layerfs.Request{{Paths: []string{"/big"}, ReduceStream: func(_ string, r io.Reader) ([]byte, error) {
		buf := make([]byte, 1<<20)
		for {
			_, err := r.Read(buf)
			if reads++; reads == 2 {
				cancel() // the walk is cancelled while this file is being read
			}
			if err != nil {
				return nil, err
			}
		}
	}}}}
	_, err := layerfs.Walk(ctx, []layerfs.Layer{tarLayer(big)}, o)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Walk = %v, want context.Canceled", err)
	}
	if reads > 8 {
		t.Errorf("the reducer kept reading (%d reads of 1 MiB) after the cancel", reads)
	}
}
