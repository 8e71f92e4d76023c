package trust

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	dA = "sha256:" + strings.Repeat("a", 64)
	dB = "sha256:" + strings.Repeat("b", 64)
	dC = "sha256:" + strings.Repeat("c", 64)
	// Computed independently: python3 hashlib.sha256((a+" "+b).encode()).
	chainAB  = "sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c"
	chainABC = "sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588"
)

func TestChainIDs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		diffIDs []string
		want    []string
		wantErr error
	}{
		{name: "empty", diffIDs: nil, want: []string{}},
		{name: "one layer is its diffID", diffIDs: []string{dA}, want: []string{dA}},
		{name: "two", diffIDs: []string{dA, dB}, want: []string{dA, chainAB}},
		{name: "three", diffIDs: []string{dA, dB, dC}, want: []string{dA, chainAB, chainABC}},
		{name: "order matters", diffIDs: []string{dB, dA}, want: []string{dB, "sha256:c6238ae8d91445af4c453ac796a5e6c69f596c950ef3ae7b29faf4f8da3487f1"}},
		{name: "upper-case hex", diffIDs: []string{strings.ToUpper(dA)}, wantErr: ErrBadDigest},
		{name: "short", diffIDs: []string{dA, "sha256:abc"}, wantErr: ErrBadDigest},
		{name: "other algorithm", diffIDs: []string{"sha512:" + strings.Repeat("a", 64)}, wantErr: ErrBadDigest},
		{name: "not hex", diffIDs: []string{"sha256:" + strings.Repeat("g", 64)}, wantErr: ErrBadDigest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ChainIDs(tc.diffIDs)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ChainIDs error = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ChainIDs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChainID(t *testing.T) {
	got, err := ChainID([]string{dA, dB, dC})
	if err != nil || got != chainABC {
		t.Errorf("ChainID = %q, %v; want %q", got, err, chainABC)
	}
	if got, err := ChainID(nil); got != "" || err != nil {
		t.Errorf("ChainID(nil) = %q, %v; want empty", got, err)
	}
}
