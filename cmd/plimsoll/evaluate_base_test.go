package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

func TestBaseAnnotationRef(t *testing.T) {
	tests := []struct{ name, digest, want string }{
		{"docker.io/library/debian:12", "", "docker.io/library/debian:12"},
		{"docker.io/library/debian:12", "sha256:ab", "docker.io/library/debian@sha256:ab"},
		{"127.0.0.1:5000/base", "sha256:ab", "127.0.0.1:5000/base@sha256:ab"},
		{"127.0.0.1:5000/base:1@sha256:00", "sha256:ab", "127.0.0.1:5000/base@sha256:ab"},
	}
	for _, tc := range tests {
		if got := baseAnnotationRef(tc.name, tc.digest); got != tc.want {
			t.Errorf("baseAnnotationRef(%q, %q) = %q, want %q", tc.name, tc.digest, got, tc.want)
		}
	}
}

// TestEvaluateBaseAnnotations: with neither --base nor --base-layers, the base
// named by the image's OCI annotations scopes the rules, marked as a hint; an
// annotation that names a base that is not the image's is an error naming it.
func TestEvaluateBaseAnnotations(t *testing.T) {
	_, dbDir := evalFixture(t)
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")

	im := evalImage()
	baseImg, err := imagetest.Image{Layers: im.Layers[:1]}.Build()
	if err != nil {
		t.Fatal(err)
	}
	otherImg, err := imagetest.Image{Layers: im.Layers[1:]}.Build()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := imagetest.Push(ctx, host+"/base:1", baseImg); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.Push(ctx, host+"/other:1", otherImg); err != nil {
		t.Fatal(err)
	}
	baseDigest, err := baseImg.Digest()
	if err != nil {
		t.Fatal(err)
	}
	annotated := func(ann map[string]string) string {
		im := evalImage()
		im.Annotations = ann
		return writeImage(t, im)
	}
	tests := []struct {
		name     string
		ann      map[string]string
		bundle   string
		code     int
		hint     string
		stderr   string
		baseSeen int
	}{
		{"base rule passes", map[string]string{annotationBaseName: host + "/base:1", annotationBaseDigest: baseDigest.String()}, "layers-base.json", exitPass,
			"1 base layers from the image's OCI annotations (org.opencontainers.image.base.name=" + host + "/base:1, org.opencontainers.image.base.digest=" + baseDigest.String() + "): a hint", "", 1},
		{"application rule fails", map[string]string{annotationBaseName: host + "/base:1"}, "layers-application.json", exitFail,
			"1 base layers from the image's OCI annotations (org.opencontainers.image.base.name=" + host + "/base:1): a hint", "", 1},
		{"not the base", map[string]string{annotationBaseName: host + "/other:1"}, "layers-base.json", exitError,
			"", "base is unknown: give --base IMAGE or --base-layers N (the image's org.opencontainers.image.base.name annotation names " + host + "/other:1, which was not used as the base", 0},
		{"no annotations", nil, "layers-base.json", exitError, "", "base is unknown", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ref := annotated(tc.ann)
			out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundlePath(tc.bundle), "-o", "json")
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if tc.code == exitError {
				return
			}
			var ev struct {
				BaseLayers int
				BaseHint   string
			}
			if err := json.Unmarshal([]byte(out), &ev); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if diff := cmp.Diff(struct {
				BaseLayers int
				BaseHint   string
			}{tc.baseSeen, tc.hint + ", matched by diffID prefix but not verified; give --base IMAGE to decide"}, ev); diff != "" {
				t.Errorf("base (-want +got):\n%s", diff)
			}
		})
	}
	// --base-layers wins over the annotations: no hint.
	ref := annotated(map[string]string{annotationBaseName: host + "/other:1"})
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundlePath("layers-base.json"), "--base-layers", "1", "-o", "json")
	if code != exitPass || strings.Contains(out, "baseHint") {
		t.Errorf("--base-layers with annotations: exit %d, %s\n%s", code, stderr, out)
	}
}
