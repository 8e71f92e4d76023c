package notationtest

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Registry starts go-containerregistry's in-process registry and returns its
// host:port. With api, its referrers API lists each referrer with the
// manifest's own artifactType (the bare registry reports the config media
// type, the empty type for most artifacts) and honours the artifactType
// filter; without, it answers 404 to the referrers API, as distribution 2.8
// does, so clients use the sha256-<hex> referrers tag.
func Registry(t testing.TB, api bool) string {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	h := registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(true))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		repo, _, ok := referrersPath(r.URL.Path)
		switch {
		case !ok || r.Method != http.MethodGet:
			h.ServeHTTP(w, r)
		case !api:
			http.NotFound(w, r)
		default:
			serveReferrers(w, r, h, repo)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// referrersPath splits /v2/<repo>/referrers/<digest>.
func referrersPath(p string) (repo, digest string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/v2/")
	if !ok {
		return "", "", false
	}
	i := strings.LastIndex(rest, "/referrers/")
	if i < 0 {
		return "", "", false
	}
	return rest[:i], rest[i+len("/referrers/"):], true
}

// serveReferrers answers the referrers API from the inner registry's answer,
// each entry's artifactType read from the manifest it lists.
func serveReferrers(w http.ResponseWriter, r *http.Request, h http.Handler, repo string) {
	inner := httptest.NewRecorder()
	h.ServeHTTP(inner, r)
	if inner.Code != http.StatusOK {
		w.WriteHeader(inner.Code)
		w.Write(inner.Body.Bytes())
		return
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(inner.Body.Bytes(), &idx); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	filter := r.URL.Query().Get("artifactType")
	kept := []v1.Descriptor{}
	for _, d := range idx.Manifests {
		d.ArtifactType = artifactType(h, repo, d.Digest.String())
		if filter == "" || d.ArtifactType == filter {
			kept = append(kept, d)
		}
	}
	idx.Manifests = kept
	b, err := json.Marshal(idx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
	if filter != "" {
		w.Header().Set("OCI-Filters-Applied", "artifactType")
	}
	w.Write(b)
}

// artifactType reads a manifest's artifactType, or its config media type
// when it has none, as the OCI distribution spec says to report it.
func artifactType(h http.Handler, repo, digest string) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v2/"+repo+"/manifests/"+digest, nil))
	var m struct {
		ArtifactType string `json:"artifactType"`
		Config       struct {
			MediaType string `json:"mediaType"`
		} `json:"config"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &m) != nil {
		return ""
	}
	if m.ArtifactType != "" {
		return m.ArtifactType
	}
	return m.Config.MediaType
}
