package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
)

// testRegistry starts go-containerregistry's in-process registry and returns
// its host:port; the docker config is isolated so no credentials are read.
func testRegistry(t *testing.T) string {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// layersImage builds an image from layers named by their one file's content.
func layersImage(t *testing.T, annotations map[string]string, names ...string) v1.Image {
	t.Helper()
	desc := imagetest.Image{Annotations: annotations}
	for _, n := range names {
		desc.Layers = append(desc.Layers, imagetest.Layer{CreatedBy: "ADD " + n, Entries: []imagetest.Entry{imagetest.File(n, n)}})
	}
	img, err := desc.Build()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func push(t *testing.T, ref string, img v1.Image) string {
	t.Helper()
	if err := imagetest.Push(context.Background(), ref, img); err != nil {
		t.Fatal(err)
	}
	return regDigest(t, img)
}

func TestBaseCommands(t *testing.T) {
	reg := testRegistry(t)
	catalog := filepath.Join(t.TempDir(), "bases.json")
	base := func(args ...string) (string, string, int) {
		t.Helper()
		return run(t, append(append([]string{"base"}, args...), "--catalog", catalog)...)
	}
	debian := reg + "/base/debian:12"
	oldDigest := push(t, debian, layersImage(t, nil, "rootfs-v1"))
	push(t, reg+"/app/on-old:1", layersImage(t, nil, "rootfs-v1", "app"))
	push(t, reg+"/app/other:1", layersImage(t, nil, "alpine", "app"))

	if out, errOut, code := base("add", debian); code != 0 || !strings.HasPrefix(out, "added ") {
		t.Fatalf("base add = %q %q exit %d, want added", out, errOut, code)
	}
	if out, _, code := base("detect", reg+"/app/on-old:1"); code != 0 || !strings.Contains(out, debian+"@"+oldDigest+" (linux/amd64, current), layers 1-1 of 2") {
		t.Errorf("detect on-old = %q exit %d", out, code)
	}
	if out, _, code := base("detect", reg+"/app/other:1"); code != 1 || !strings.Contains(out, "no approved base") {
		t.Errorf("detect other = %q exit %d, want 1 and no approved base", out, code)
	}

	// The tag moves: refresh keeps the old digest as superseded.
	newDigest := push(t, debian, layersImage(t, nil, "rootfs-v2"))
	push(t, reg+"/app/on-new:1", layersImage(t, map[string]string{bases.AnnotationBaseDigest: oldDigest}, "rootfs-v2", "app"))
	if out, errOut, code := base("refresh"); code != 0 || !strings.HasPrefix(out, "updated ") {
		t.Fatalf("base refresh = %q %q exit %d, want updated", out, errOut, code)
	}
	if out, _, code := base("refresh", debian); code != 0 || !strings.HasPrefix(out, "unchanged ") {
		t.Errorf("second refresh = %q exit %d, want unchanged", out, code)
	}
	if out, _, code := base("detect", reg+"/app/on-old:1"); code != 0 || !strings.Contains(out, oldDigest+" (linux/amd64, superseded ") {
		t.Errorf("detect on-old after refresh = %q exit %d, want superseded", out, code)
	}
	out, _, code := base("detect", reg+"/app/on-new:1", "-o", "json")
	var rep detectReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("detect json = %q exit %d: %v", out, code, err)
	}
	if len(rep.Match.Hits) != 1 || rep.Match.Hits[0].Digest() != newDigest || len(rep.Warnings) != 1 {
		t.Errorf("detect on-new = %+v, want the new digest and a warning about the annotation", rep)
	}

	out, _, code = base("list", "-o", "json")
	cat, err := bases.Parse([]byte(out))
	if err != nil || code != 0 {
		t.Fatalf("list json = %q exit %d: %v", out, code, err)
	}
	if len(cat.Bases) != 1 || cat.Bases[0].Digest != newDigest || len(cat.Bases[0].Superseded) != 1 || cat.Bases[0].Superseded[0].Digest != oldDigest {
		t.Errorf("list = %+v, want one base at the new digest superseding the old", cat.Bases)
	}
	if out, _, code := base("list"); code != 0 || !strings.Contains(out, debian) || !strings.HasPrefix(out, "REFERENCE") {
		t.Errorf("list table = %q exit %d", out, code)
	}
	if _, errOut, code := base("remove", reg+"/base/nope:1"); code != 2 || !strings.Contains(errOut, "not in the catalogue") {
		t.Errorf("remove missing = %q exit %d, want 2", errOut, code)
	}
	if out, _, code := base("remove", debian); code != 0 || !strings.Contains(out, "removed") {
		t.Errorf("remove = %q exit %d", out, code)
	}
	if _, _, code := base("detect", reg+"/app/on-old:1"); code != 1 {
		t.Errorf("detect after remove: exit %d, want 1", code)
	}
}

func TestBaseCatalogEnvAndErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.json")
	t.Setenv("PLIMSOLL_BASE_CATALOG", missing)
	if _, errOut, code := run(t, "base", "list"); code != 2 || !strings.Contains(errOut, "none.json") {
		t.Errorf("list with a missing catalogue from the environment = %q exit %d, want 2 naming it", errOut, code)
	}
	if _, _, code := run(t, "base", "detect", "oci-dir:/nonexistent"); code != 2 {
		t.Errorf("detect of a missing image: exit %d, want 2", code)
	}
}

func TestBaseAddAllPlatforms(t *testing.T) {
	reg := testRegistry(t)
	catalog := filepath.Join(t.TempDir(), "bases.json")
	amd, arm := regImage(t, "amd64", "debian", "12"), regImage(t, "arm64", "debian", "12")
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	ref := reg + "/base/debian:12"
	if err := imagetest.PushIndex(context.Background(), ref, idx); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, "base", "add", ref, "--all-platforms", "--platform", "linux/amd64", "--catalog", catalog); code != 2 || !strings.Contains(errOut, "not both") {
		t.Errorf("--all-platforms with --platform = %q exit %d, want 2", errOut, code)
	}
	if out, errOut, code := run(t, "base", "add", ref, "--all-platforms", "--catalog", catalog); code != 0 || strings.Count(out, "added") != 2 {
		t.Fatalf("base add --all-platforms = %q %q exit %d, want two added", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range cat.Bases {
		got[b.Platform] = b.Digest
		if b.IndexDigest != regDigest(t, idx) {
			t.Errorf("%s: index digest %s, want %s", b.Platform, b.IndexDigest, regDigest(t, idx))
		}
	}
	want := map[string]string{"linux/amd64": regDigest(t, amd), "linux/arm64": regDigest(t, arm)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
	// A single-manifest image with --all-platforms is added once.
	push(t, reg+"/base/single:1", layersImage(t, nil, "single"))
	if out, _, code := run(t, "base", "add", reg+"/base/single:1", "--all-platforms", "--catalog", catalog); code != 0 || strings.Count(out, "added") != 1 {
		t.Errorf("single image with --all-platforms = %q exit %d", out, code)
	}
}
