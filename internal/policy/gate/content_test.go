package gate_test

import (
	"testing"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

func TestScanned(t *testing.T) {
	tests := []struct {
		path string
		size int64
		want bool
	}{
		{"/app/.env", 100, true},
		{"/root/.ssh/id_rsa", 2000, true},
		{"/etc/ssl/private/key.pem", 2000, true},
		{"/app/big.json", gate.MaxScannedFile + 1, false},
		{"/usr/lib/x86_64-linux-gnu/libc.so.6", 100, false},
		{"/usr/share/doc/a/copyright", 100, false},
		{"/app/node_modules/lodash/index.js", 100, false},
		{"/usr/local/lib/python3.12/site-packages/x.py", 100, false},
		{"/app/logo.PNG", 100, false},
		{"/app/lib.jar", 100, false},
	}
	for _, tc := range tests {
		if got := gate.Scanned(tc.path, tc.size); got != tc.want {
			t.Errorf("Scanned(%s, %d) = %v, want %v", tc.path, tc.size, got, tc.want)
		}
	}
}
