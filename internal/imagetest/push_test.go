package imagetest

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// newRegistry starts go-containerregistry's in-process registry and returns
// its host:port.
func newRegistry(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestPush(t *testing.T) {
	host := newRegistry(t)
	ctx := context.Background()
	img := mustBuild(t, sample())
	ref := host + "/app:1.0"
	if err := Push(ctx, ref, img); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{ref, host + "/app@" + digestOf(t, img).String()} {
		pr, err := name.ParseReference(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := remote.Image(pr, remote.WithContext(ctx))
		if err != nil {
			t.Fatalf("pull %s: %v", r, err)
		}
		if gd, wd := digestOf(t, got), digestOf(t, img); gd != wd {
			t.Errorf("%s: digest %s, want %s", r, gd, wd)
		}
		checkImage(t, got, img, true)
	}
}

func TestPushIndex(t *testing.T) {
	host := newRegistry(t)
	ctx := context.Background()
	idx, imgs := multiArch(t)
	ref := host + "/multi:1"
	if err := PushIndex(ctx, ref, idx); err != nil {
		t.Fatal(err)
	}
	pr, _ := name.ParseReference(ref)
	got, err := remote.Index(pr, remote.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	if gd, wd := digestOf(t, got), digestOf(t, idx); gd != wd {
		t.Errorf("index digest %s, want %s", gd, wd)
	}
	arm, err := got.Image(digestOf(t, imgs[1]))
	if err != nil {
		t.Fatal(err)
	}
	checkImage(t, arm, imgs[1], true)
}

func TestPushBadReference(t *testing.T) {
	if err := Push(context.Background(), "UPPER/case::bad", mustBuild(t, Image{})); err == nil {
		t.Error("a bad reference was accepted")
	}
}
