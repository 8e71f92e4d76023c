package metadata_test

import (
	"testing"
	"time"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/metadata"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func TestAttribute(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := &gate.Input{
		Image:  gate.Identity{Size: 300 << 20, OS: "linux", Architecture: "arm64", Created: &created},
		Layers: make([]gate.Layer, 5),
		Distro: &sbom.Distro{ID: "ubuntu", VersionID: "24.04", IDLike: []string{"debian"}},
		Now:    created.Add(100 * 24 * time.Hour),
	}
	tests := []struct {
		attr, check, value string
		fires              bool
	}{
		{"size", ">", "200MB", true},
		{"size", ">", "1GiB", false},
		{"size", "<=", "314572800", true},
		{"layer_count", ">=", "5", true},
		{"layer_count", ">", "5", false},
		{"age_days", ">", "90", true},
		{"age_days", "<", "90", false},
		{"architecture", "=", "arm64", true},
		{"architecture", "!=", "arm64", false},
		{"os_type", "in", "linux,windows", true},
		{"distro", "not_in", "alpine,debian", true},
		{"distro", "like", "^ubu", true},
		{"distro_version", "not_like", `^24\.`, false},
		{"like_distro", "=", "debian", true},
		{"like_distro", "!=", "debian", false},
		{"like_distro", "exists", "", true},
		{"distro", "not_exists", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.attr+tc.check+tc.value, func(t *testing.T) {
			fires := gatetest.Run(t, metadata.New(), "attribute", map[string]string{"attribute": tc.attr, "check": tc.check, "value": tc.value}, in)
			if got := len(fires) > 0; got != tc.fires {
				t.Errorf("fired = %v, want %v (%v)", got, tc.fires, fires)
			}
		})
	}
}

func TestAttributeNoDistro(t *testing.T) {
	in := &gate.Input{}
	for check, want := range map[string]bool{"not_exists": true, "exists": false, "!=": false, "=": false} {
		fires := gatetest.Run(t, metadata.New(), "attribute", map[string]string{"attribute": "distro", "check": check, "value": "x"}, in)
		if got := len(fires) > 0; got != want {
			t.Errorf("%s: fired = %v, want %v", check, got, want)
		}
	}
}

func TestAttributeCompileErrors(t *testing.T) {
	tr := gatetest.Trigger(t, metadata.New(), "attribute")
	for _, args := range []map[string]string{
		{"attribute": "size", "check": "like", "value": "1"},
		{"attribute": "size", "check": ">", "value": "big"},
		{"attribute": "distro", "check": ">", "value": "a"},
		{"attribute": "layer_count", "check": ">"},
	} {
		if _, err := gatetest.Compile(tr, args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
