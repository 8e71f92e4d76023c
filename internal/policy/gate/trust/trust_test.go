package trust_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/trust"
	itrust "github.com/plimsoll/plimsoll/internal/trust"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func diffID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func layers(steps ...string) []gate.Layer {
	var out []gate.Layer
	for i, s := range steps {
		out = append(out, gate.Layer{Index: i, DiffID: diffID(s), CreatedBy: s})
	}
	return out
}

func TestUnsigned(t *testing.T) {
	for _, tc := range []struct {
		name  string
		trust *gate.Trust
		want  []string
	}{
		{"not configured", nil, []string{"unsigned@-"}},
		{"no keys given", &gate.Trust{Bases: true}, []string{"unsigned@-"}},
		{"none verifies", &gate.Trust{Signatures: true}, []string{"unsigned@-"}},
		{"signed", &gate.Trust{Signatures: true, Signers: []string{"sha256:k"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, trust.New(), "unsigned", nil, &gate.Input{Trust: tc.trust}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrusted(t *testing.T) {
	for _, tc := range []struct {
		glob, registry, repo string
		want                 bool
	}{
		{"reg.example.com", "reg.example.com", "base/debian", true},
		{"reg.example.com", "evil.example.com", "base/debian", false},
		{"*.example.com", "reg.example.com", "x", true},
		{"reg.example.com/base/*", "reg.example.com", "base/debian", true},
		{"reg.example.com/base/*", "reg.example.com", "base/debian/slim", false},
		{"reg.example.com/base/*", "reg.example.com", "app/debian", false},
		{"reg.example.com/base/**", "reg.example.com", "base/debian/slim", true},
		{"reg.example.com/base/**", "reg.example.com", "base", false},
		{"reg.example.com/base/**", "reg.example.com", "basement/x", false},
		{"docker.io/library/debian", "docker.io", "library/debian", true},
		{"docker.io/library/debian", "docker.io", "library/debianx", false},
	} {
		if got := trust.Trusted(tc.glob, tc.registry, tc.repo); got != tc.want {
			t.Errorf("Trusted(%q, %s/%s) = %v, want %v", tc.glob, tc.registry, tc.repo, got, tc.want)
		}
	}
}

func TestUntrustedRegistry(t *testing.T) {
	args := map[string]string{"trusted": "reg.example.com/base/*, 127.0.0.1:5000"}
	for _, tc := range []struct {
		name string
		id   gate.Identity
		want []string
	}{
		{"trusted repository", gate.Identity{Registry: "reg.example.com", Repository: "base/debian"}, nil},
		{"trusted registry with port", gate.Identity{Registry: "127.0.0.1:5000", Repository: "any/thing"}, nil},
		{"other repository", gate.Identity{Registry: "reg.example.com", Repository: "dev/debian"}, []string{"untrusted_registry@-"}},
		{"no registry", gate.Identity{}, []string{"untrusted_registry@-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, trust.New(), "untrusted_registry", args, &gate.Input{Image: tc.id}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBaseNotApproved(t *testing.T) {
	base := &gate.BaseInfo{Reference: "r/debian:12", Digest: diffID("m"), Layers: 1}
	fromScratch := layers("COPY app /app", "/bin/sh -c #(nop) ADD config.json /etc/app/ ")
	onUnknown := layers("/bin/sh -c #(nop) ADD file:abc in / ", "COPY app /app")
	onRootfs := layers("ADD rootfs.tar.gz / # buildkit", "COPY app /app")
	withRun := layers("COPY app /app", "RUN chmod +x /app")
	for _, tc := range []struct {
		name   string
		args   map[string]string
		trust  *gate.Trust
		layers []gate.Layer
		want   []string
	}{
		{"no catalogue", nil, nil, onUnknown, []string{"base_not_approved@-"}},
		{"approved base", nil, &gate.Trust{Bases: true, Base: base}, onUnknown, nil},
		{"no approved base", nil, &gate.Trust{Bases: true}, onUnknown, []string{"base_not_approved@-"}},
		{"scratch not allowed", nil, &gate.Trust{Bases: true}, fromScratch, []string{"base_not_approved@-"}},
		{"scratch allowed", map[string]string{"allow_scratch": "true"}, &gate.Trust{Bases: true}, fromScratch, nil},
		{"no layers allowed", map[string]string{"allow_scratch": "true"}, &gate.Trust{Bases: true}, nil, nil},
		{"classic base rootfs is not scratch", map[string]string{"allow_scratch": "true"}, &gate.Trust{Bases: true}, onUnknown, []string{"base_not_approved@-"}},
		{"buildkit rootfs is not scratch", map[string]string{"allow_scratch": "true"}, &gate.Trust{Bases: true}, onRootfs, []string{"base_not_approved@-"}},
		{"a RUN step is not scratch", map[string]string{"allow_scratch": "true"}, &gate.Trust{Bases: true}, withRun, []string{"base_not_approved@-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &gate.Input{Trust: tc.trust, Layers: tc.layers}
			got := gatetest.IDs(gatetest.Run(t, trust.New(), "base_not_approved", tc.args, in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBaseOutdated(t *testing.T) {
	moved := func(days int) *gate.Trust {
		return &gate.Trust{Bases: true, Base: &gate.BaseInfo{Reference: "r/debian:12", Digest: diffID("m"), Layers: 2,
			Replaced: now.Add(-time.Duration(days) * 24 * time.Hour)}}
	}
	for _, tc := range []struct {
		name  string
		args  map[string]string
		trust *gate.Trust
		want  []string
	}{
		{"not configured", nil, nil, nil},
		{"current base", nil, &gate.Trust{Bases: true, Base: &gate.BaseInfo{Layers: 2}}, nil},
		{"moved, no grace", nil, moved(1), []string{"base_outdated@1"}},
		{"moved within grace", map[string]string{"grace_days": "7"}, moved(3), nil},
		{"moved beyond grace", map[string]string{"grace_days": "7"}, moved(8), []string{"base_outdated@1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &gate.Input{Trust: tc.trust, Now: now}
			got := gatetest.IDs(gatetest.Run(t, trust.New(), "base_outdated", tc.args, in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDenylistedAncestor(t *testing.T) {
	ls := layers("a", "b", "c")
	chain, err := itrust.ChainIDs([]string{ls[0].DiffID, ls[1].DiffID, ls[2].DiffID})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := itrust.ChainIDs([]string{diffID("x"), ls[1].DiffID})
	for _, tc := range []struct {
		name string
		ids  string
		want []string
	}{
		{"denied two-layer stack", chain[1], []string{"denylisted_ancestor:" + chain[1] + "@1"}},
		{"same diffID on another stack", other[1], nil},
		{"two denied", chain[0] + "," + chain[2], []string{"denylisted_ancestor:" + chain[0] + "@0", "denylisted_ancestor:" + chain[2] + "@2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, trust.New(), "denylisted_ancestor", map[string]string{"chain_ids": tc.ids}, &gate.Input{Layers: ls}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := gatetest.Compile(gatetest.Trigger(t, trust.New(), "denylisted_ancestor"), map[string]string{"chain_ids": "sha256:short"}); err == nil {
		t.Error("a bad ChainID compiled")
	}
}
