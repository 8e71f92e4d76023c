package image_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// basicAuth guards a handler with HTTP basic auth, as a registry with htpasswd does.
func basicAuth(user, pass string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// emptyKeychain keeps a developer's own docker credentials out of the tests.
var emptyKeychain = authn.NewMultiKeychain()

func TestRegistry(t *testing.T) {
	srv := httptest.NewServer(basicAuth("ci", "s3cret", registry.New(registry.Logger(nilLogger()))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ctx := context.Background()
	auth := remote.WithAuth(&authn.Basic{Username: "ci", Password: "s3cret"})

	amdImg := sample(t, amd64, false)
	armImg := sample(t, v1.Platform{OS: "linux", Architecture: "arm64"}, false)
	idx, err := imagetest.Index(amdImg, armImg)
	if err != nil {
		t.Fatal(err)
	}
	if err := imagetest.Push(ctx, host+"/team/app:v1", amdImg, auth); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.PushIndex(ctx, host+"/team/multi:v1", idx, auth); err != nil {
		t.Fatal(err)
	}
	amdDigest, _ := amdImg.Digest()
	armDigest, _ := armImg.Digest()
	idxDigest, _ := idx.Digest()
	good := image.Options{Username: "ci", Password: "s3cret", Keychain: emptyKeychain, Retries: 0}

	t.Run("by tag", func(t *testing.T) {
		im := open(t, host+"/team/app:v1", good)
		if im.ManifestDigest != amdDigest.String() || im.RepoDigests[0] != host+"/team/app@"+amdDigest.String() {
			t.Errorf("digest %s repo digests %v", im.ManifestDigest, im.RepoDigests)
		}
		checkSample(t, inspect(t, im), amdImg)
	})
	t.Run("by digest with the registry: scheme", func(t *testing.T) {
		im := open(t, "registry:"+host+"/team/app@"+amdDigest.String(), good)
		checkSample(t, inspect(t, im), amdImg)
	})
	t.Run("index picks the platform", func(t *testing.T) {
		o := good
		o.Platform = "linux/arm64"
		im := open(t, host+"/team/multi:v1", o)
		if im.ManifestDigest != armDigest.String() || im.IndexDigest != idxDigest.String() || len(im.RepoDigests) != 2 {
			t.Errorf("got %s index %s repo digests %v", im.ManifestDigest, im.IndexDigest, im.RepoDigests)
		}
		checkSample(t, inspect(t, im), armImg)
	})
	t.Run("absent platform lists what exists", func(t *testing.T) {
		o := good
		o.Platform = "linux/ppc64le"
		_, err := image.Open(ctx, host+"/team/multi:v1", o)
		if err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64") {
			t.Errorf("error = %v", err)
		}
	})
	for _, tc := range []struct{ name, user, pass string }{
		{"bad credentials", "ci", "wrong"},
		{"no credentials", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := image.Open(ctx, host+"/team/app:v1", image.Options{Username: tc.user, Password: tc.pass, Keychain: emptyKeychain})
			if !errors.Is(err, image.ErrUnauthorized) || !strings.Contains(err.Error(), "--username/--password") {
				t.Errorf("error = %v, want ErrUnauthorized with a credentials hint", err)
			}
		})
	}
	t.Run("missing tag", func(t *testing.T) {
		_, err := image.Open(ctx, host+"/team/app:nope", good)
		if err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("error = %v, want not found", err)
		}
	})
}

func TestRegistryUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens here now
	_, err = image.Open(context.Background(), addr+"/x:1", image.Options{Keychain: emptyKeychain, Timeout: 2 * time.Second, Retries: 0, Insecure: []string{addr}})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("error = %v, want unreachable", err)
	}
}

func nilLogger() *log.Logger { return log.New(io.Discard, "", 0) }
