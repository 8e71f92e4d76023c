package policy

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestToNativeRoundTrip converts every Anchore bundle to the native form and
// back: the model is the same but for the written-out default action and the
// reasons allowlist items gain.
func TestToNativeRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.json")
	paths = append(paths, "default.json", "testdata/native.yaml")
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			orig, err := ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			y, err := ToNative(orig)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseNative(y, "converted.yaml")
			if err != nil {
				t.Fatalf("%v\n%s", err, y)
			}
			want := *orig
			if want.DefaultAction == "" {
				want.DefaultAction = GO
			}
			want.Whitelists = nil
			for _, w := range orig.Whitelists {
				w.Items = append([]WhitelistItem(nil), w.Items...)
				for i := range w.Items {
					if w.Items[i].Reason == "" {
						w.Items[i].Reason = ConvertedReason
					}
				}
				want.Whitelists = append(want.Whitelists, w)
			}
			for i := range want.Mappings {
				want.Mappings[i].PolicyIDs, want.Mappings[i].PolicyID = want.Mappings[i].Policies(), ""
			}
			opts := []cmp.Option{cmpopts.IgnoreUnexported(Bundle{}), cmpopts.IgnoreFields(Bundle{}, "File"), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(&want, back, opts...); diff != "" {
				t.Errorf("round trip (-want +got):\n%s\n%s", diff, y)
			}
		})
	}
}
