package image_test

// An integration test against a real registry: Debian's docker-registry
// (distribution 2.8) with htpasswd basic auth on a loopback port, started here.
// It is skipped, saying what to install, when the registry or htpasswd is missing.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/registrytest"
)

// realOSRelease returns the entries of a Debian-like os-release, /etc/os-release
// being a symlink into /usr/lib as in real images.
func realOSRelease(id, version, codename string) []imagetest.Entry {
	return []imagetest.Entry{
		imagetest.Dir("etc"),
		imagetest.Dir("usr"),
		imagetest.Dir("usr/lib"),
		imagetest.File("usr/lib/os-release", fmt.Sprintf("ID=%s\nVERSION_ID=%q\nVERSION_CODENAME=%s\n", id, version, codename)),
		imagetest.Symlink("etc/os-release", "../usr/lib/os-release"),
	}
}

// buildRealImage builds a two-layer image for platform with the given os-release.
func buildRealImage(t *testing.T, platform v1.Platform, id, version, codename string) v1.Image {
	t.Helper()
	img, err := imagetest.Image{
		Platform: platform,
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: realOSRelease(id, version, codename)},
			{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
				imagetest.Dir("app"),
				imagetest.File("app/run.sh", "#!/bin/sh\necho "+platform.Architecture+"\n"),
			}},
		},
		Config: v1.Config{User: "app", Cmd: []string{"/app/run.sh"}},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func realDigest(t *testing.T, d interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// realIdentity is what the test checks of an inspection.
type realIdentity struct {
	ManifestDigest string
	IndexDigest    string
	RepoDigests    []string
	Platform       string
	Layers         [][2]string // digest, diffID
	Distro         [3]string   // ID, VERSION_ID, VERSION_CODENAME
}

// wantRealIdentity is what inspecting img, pushed to repo (and listed in the
// index with digest index, when not empty), must report.
func wantRealIdentity(t *testing.T, repo string, img v1.Image, index string) realIdentity {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	id := realIdentity{ManifestDigest: realDigest(t, img), IndexDigest: index, Platform: cf.OS + "/" + cf.Architecture}
	id.RepoDigests = []string{repo + "@" + id.ManifestDigest}
	if index != "" {
		id.RepoDigests = append(id.RepoDigests, repo+"@"+index)
	}
	for i, l := range m.Layers {
		id.Layers = append(id.Layers, [2]string{l.Digest.String(), cf.RootFS.DiffIDs[i].String()})
	}
	return id
}

func gotRealIdentity(in *image.Inspection) realIdentity {
	id := realIdentity{ManifestDigest: in.Image.ManifestDigest, IndexDigest: in.Image.IndexDigest, RepoDigests: in.Image.RepoDigests}
	if p := in.Image.Platform; p != nil {
		id.Platform = p.OS + "/" + p.Architecture
	}
	for _, l := range in.Layers {
		id.Layers = append(id.Layers, [2]string{l.Digest, l.DiffID})
	}
	if d := in.Distro; d != nil {
		id.Distro = [3]string{d.ID, d.VersionID, d.Codename}
	}
	return id
}

func inspectReal(ctx context.Context, ref string, o image.Options) (*image.Inspection, error) {
	im, err := image.Open(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	defer im.Close()
	return image.Inspect(ctx, im, image.InspectOptions{})
}

// realSetup is a running registry holding an image and a two-platform index.
type realSetup struct {
	host, appRepo, multiRepo string
	app, amd64, arm64        v1.Image
	index                    v1.ImageIndex
}

// setupRealRegistry starts the registry, points DOCKER_CONFIG at a config
// with credentials for another host only, so a developer's own never leak in
// (and the podman fallbacks are not consulted), and pushes with credentials an
// image and a two-platform index.
func setupRealRegistry(ctx context.Context, t *testing.T) realSetup {
	t.Helper()
	host := registrytest.Start(t)
	t.Setenv("DOCKER_CONFIG", registrytest.DockerConfig(t, "registry.invalid"))
	s := realSetup{
		host: host, appRepo: host + "/plimsoll/app", multiRepo: host + "/plimsoll/multi",
		app:   buildRealImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}, "debian", "12", "bookworm"),
		amd64: buildRealImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}, "alpine", "3.19.1", ""),
		arm64: buildRealImage(t, v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, "ubuntu", "24.04", "noble"),
	}
	var err error
	if s.index, err = imagetest.Index(s.amd64, s.arm64); err != nil {
		t.Fatal(err)
	}
	auth := remote.WithAuth(&authn.Basic{Username: registrytest.User, Password: registrytest.Password})
	if err := imagetest.Push(ctx, s.appRepo+":1.0", s.app, auth); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.PushIndex(ctx, s.multiRepo+":1", s.index, auth); err != nil {
		t.Fatal(err)
	}
	// Pushing without credentials must be refused, or the auth cases prove nothing.
	if err := imagetest.Push(ctx, s.appRepo+":anon", s.app); err == nil {
		t.Fatal("anonymous push succeeded: the registry does not require auth")
	}
	return s
}

func TestRealRegistry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s := setupRealRegistry(ctx, t)
	good := image.Options{Username: registrytest.User, Password: registrytest.Password, Timeout: 5 * time.Second}
	withDistro := func(id realIdentity, d [3]string) realIdentity { id.Distro = d; return id }
	appWant := withDistro(wantRealIdentity(t, s.appRepo, s.app, ""), [3]string{"debian", "12", "bookworm"})
	indexDigest := realDigest(t, s.index)
	armWant := withDistro(wantRealIdentity(t, s.multiRepo, s.arm64, indexDigest), [3]string{"ubuntu", "24.04", "noble"})
	amdWant := withDistro(wantRealIdentity(t, s.multiRepo, s.amd64, indexDigest), [3]string{"alpine", "3.19.1", ""})
	insecure, arm, amd := good, good, good
	insecure.Insecure, arm.Platform, amd.Platform = []string{s.host}, "linux/arm64", "linux/amd64"

	tests := []struct {
		name         string
		ref          string
		opts         image.Options
		dockerConfig string // DOCKER_CONFIG when not the empty one
		want         realIdentity
	}{
		{name: "tag", ref: s.appRepo + ":1.0", opts: good, want: appWant},
		{name: "digest", ref: s.appRepo + "@" + appWant.ManifestDigest, opts: good, want: appWant},
		{name: "registry scheme and insecure host", ref: "registry:" + s.appRepo + ":1.0", opts: insecure, want: appWant},
		{name: "index arm64", ref: s.multiRepo + ":1", opts: arm, want: armWant},
		{name: "index amd64 by index digest", ref: s.multiRepo + "@" + indexDigest, opts: amd, want: amdWant},
		{name: "docker config credentials", ref: s.appRepo + ":1.0", dockerConfig: registrytest.DockerConfig(t, s.host), want: appWant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dockerConfig != "" {
				t.Setenv("DOCKER_CONFIG", tc.dockerConfig)
			}
			in, err := inspectReal(ctx, tc.ref, tc.opts)
			if err != nil {
				t.Fatalf("inspect %s: %v", tc.ref, err)
			}
			if diff := cmp.Diff(tc.want, gotRealIdentity(in)); diff != "" {
				t.Errorf("inspect %s (-want +got):\n%s", tc.ref, diff)
			}
		})
	}
	t.Run("errors", func(t *testing.T) { testRealRegistryErrors(ctx, t, s) })
}

func testRealRegistryErrors(ctx context.Context, t *testing.T, s realSetup) {
	good := image.Options{Username: registrytest.User, Password: registrytest.Password, Timeout: 5 * time.Second}
	badPassword, unknownUser, anonymous, s390x := good, good, image.Options{Timeout: 5 * time.Second}, good
	badPassword.Password, unknownUser.Username, s390x.Platform = "wrong", "mallory", "linux/s390x"
	closed := registrytest.FreeAddr(t)
	unreachable := good
	unreachable.Insecure, unreachable.Timeout = []string{closed}, 2*time.Second

	tests := []struct {
		name   string
		ref    string
		opts   image.Options
		wantIs error // nil: must not be ErrUnauthorized
		wantIn []string
	}{
		{name: "bad password", ref: s.appRepo + ":1.0", opts: badPassword, wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password", "401"}},
		{name: "unknown user by digest", ref: s.appRepo + "@" + realDigest(t, s.app), opts: unknownUser, wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password"}},
		{name: "no credentials", ref: s.appRepo + ":1.0", opts: anonymous, wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password", "docker login " + s.host}},
		{name: "absent platform", ref: s.multiRepo + ":1", opts: s390x, wantIn: []string{"linux/s390x is not in the index", "--platform", "linux/amd64", "linux/arm64/v8"}},
		{name: "unknown tag", ref: s.appRepo + ":nope", opts: good, wantIn: []string{"not found"}},
		{name: "unreachable", ref: closed + "/plimsoll/app:1.0", opts: unreachable, wantIn: []string{"unreachable", closed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inspectReal(ctx, tc.ref, tc.opts)
			if err == nil {
				t.Fatalf("inspect %s: no error", tc.ref)
			}
			t.Logf("inspect %s: %v", tc.ref, err)
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %q is not %q", err, tc.wantIs)
			}
			if tc.wantIs == nil && errors.Is(err, image.ErrUnauthorized) {
				t.Errorf("error %q is %q", err, image.ErrUnauthorized)
			}
			for _, want := range tc.wantIn {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}
