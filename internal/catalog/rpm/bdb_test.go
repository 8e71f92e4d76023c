package rpm

import (
	"bytes"
	"testing"
)

func TestReadBDB(t *testing.T) {
	items, err := ReadBDB(read(t, "testdata/Packages"))
	if err != nil {
		t.Fatal(err)
	}
	var headers [][]byte
	var names []string
	for _, it := range items {
		if h, err := ParseHeader(it); err == nil {
			headers = append(headers, it)
			names = append(names, h.Name)
		}
	}
	if len(items) != 3 {
		t.Errorf("%d items, want 3 (the count record and two headers)", len(items))
	}
	want := map[string][]byte{"libdemo": read(t, "testdata/header-1.bin"), "hello-tool": read(t, "testdata/header-2.bin")}
	for i, n := range names {
		if !bytes.Equal(headers[i], want[n]) {
			t.Errorf("header of %s read from BerkeleyDB differs from the one stored", n)
		}
	}
	if len(names) != 2 {
		t.Errorf("headers of %v, want libdemo and hello-tool", names)
	}
}

func TestReadBDBMalformed(t *testing.T) {
	good := read(t, "testdata/Packages")
	badPageSize := append([]byte(nil), good...)
	badPageSize[20], badPageSize[21] = 0x01, 0x03 // 0x0301: not a power of two
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "not a Berkeley DB"},
		{"sqlite", read(t, "testdata/rpmdb.sqlite"), "not a Berkeley DB"},
		{"bad page size", badPageSize, "page size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBDB(tc.b)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
				t.Errorf("ReadBDB error = %v, want %q", err, tc.want)
			}
		})
	}
	// A truncated file loses what was past the cut, without failing on what is before.
	if items, _ := ReadBDB(good[:len(good)-4096]); len(items) > 3 {
		t.Errorf("truncated database: %d items", len(items))
	}
}
