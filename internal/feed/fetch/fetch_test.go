package fetch

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testClient returns a client whose sleeps are recorded, not slept.
func testClient(t *testing.T) (*Client, *[]time.Duration) {
	t.Helper()
	c := New(nil)
	c.Logger = nil
	var mu sync.Mutex
	var slept []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d)
		return nil
	}
	c.Backoff, c.MaxBackoff, c.Retries = time.Second, 10*time.Second, 3
	return c, &slept
}

// script serves the given statuses in turn, then 200 with body "ok".
func script(t *testing.T, statuses ...int) (*httptest.Server, *[]*http.Request) {
	t.Helper()
	var mu sync.Mutex
	var reqs []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		i := len(reqs)
		reqs = append(reqs, r)
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if i < len(statuses) {
			if statuses[i] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "7")
			}
			w.WriteHeader(statuses[i])
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &reqs
}

func TestGetRetries(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		wantErr  string
		slept    []time.Duration
		requests int
	}{
		{"ok", nil, "", nil, 1},
		{"503 then ok", []int{503, 503}, "", []time.Duration{time.Second, 2 * time.Second}, 3},
		{"429 honours Retry-After", []int{429}, "", []time.Duration{7 * time.Second}, 2},
		{"403 rate limit is retried", []int{403}, "", []time.Duration{time.Second}, 2},
		{"404 is final", []int{404}, "404 Not Found", nil, 1},
		{"gives up", []int{500, 500, 500, 500, 500}, "500 Internal Server Error (gave up after 4 attempts)",
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, slept := testClient(t)
			srv, reqs := script(t, tc.statuses...)
			resp, err := c.Get(context.Background(), Request{URL: srv.URL})
			if tc.wantErr != "" {
				if err == nil || !strings.HasSuffix(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one ending %q", err, tc.wantErr)
				}
			} else if err != nil || string(resp.Body) != "ok" || resp.ETag != `"v1"` {
				t.Fatalf("Get = %+v, %v", resp, err)
			}
			if diff := cmp.Diff(tc.slept, *slept); diff != "" {
				t.Errorf("sleeps (-want +got)\n%s", diff)
			}
			if len(*reqs) != tc.requests {
				t.Errorf("%d requests, want %d", len(*reqs), tc.requests)
			}
		})
	}
}

func TestGetNotFoundAndConditional(t *testing.T) {
	c, _ := testClient(t)
	srv, reqs := script(t, 404)
	_, err := c.Get(context.Background(), Request{URL: srv.URL})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	resp, err := c.Get(context.Background(), Request{URL: srv.URL, ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"})
	if err != nil || !resp.NotModified || resp.Body != nil {
		t.Errorf("conditional Get = %+v, %v; want not modified", resp, err)
	}
	if got := (*reqs)[1].Header.Get("If-Modified-Since"); got != "Mon, 02 Jan 2006 15:04:05 GMT" {
		t.Errorf("If-Modified-Since = %q", got)
	}
}

func TestDownloadResumes(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16)
	var mu sync.Mutex
	var ranges []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := len(ranges) == 0
		ranges = append(ranges, r.Header.Get("Range"))
		mu.Unlock()
		w.Header().Set("ETag", `"big"`)
		w.Header().Set("Accept-Ranges", "bytes")
		if first { // half the body, then the connection drops
			w.Header().Set("Content-Length", "65536")
			w.Write(body[:30000])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		http.ServeContent(w, r, "all.zip", time.Time{}, bytes.NewReader(body))
	}))
	defer srv.Close()
	c, _ := testClient(t)
	var last int64
	c.Progress = func(_ string, done, _ int64) { last = done }
	dst := filepath.Join(t.TempDir(), "all.zip")
	resp, err := c.Download(context.Background(), Request{URL: srv.URL}, dst)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, body) || resp.ETag != `"big"` {
		t.Errorf("downloaded %d bytes (etag %s), want %d", len(got), resp.ETag, len(body))
	}
	if diff := cmp.Diff([]string{"", "bytes=30000-"}, ranges); diff != "" {
		t.Errorf("Range headers (-want +got)\n%s", diff)
	}
	if last != int64(len(body)) {
		t.Errorf("progress ended at %d", last)
	}
}

func TestDownloadChecksum(t *testing.T) {
	body := []byte("the real bytes")
	sum := md5.Sum(body)
	good := base64.StdEncoding.EncodeToString(sum[:])
	for _, tc := range []struct {
		name, hash string
		wantErr    error
	}{
		{"match", "crc32c=AAAAAA==, md5=" + good, nil},
		{"mismatch", "md5=" + base64.StdEncoding.EncodeToString(make([]byte, 16)), ErrChecksum},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Goog-Hash", tc.hash)
				w.Write(body)
			}))
			defer srv.Close()
			c, _ := testClient(t)
			_, err := c.Download(context.Background(), Request{URL: srv.URL}, filepath.Join(t.TempDir(), "f"))
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestDownloadStalledAttemptIsRetried(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var mu sync.Mutex
	attempts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts++
		first := attempts == 1
		mu.Unlock()
		if first { // headers, then nothing until the client gives up
			w.Header().Set("Content-Length", "5")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Write([]byte("hello"))
	}))
	defer srv.Close()
	c, _ := testClient(t)
	c.DownloadTimeout = 50 * time.Millisecond
	dst := filepath.Join(t.TempDir(), "f")
	if _, err := c.Download(context.Background(), Request{URL: srv.URL}, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "hello" {
		t.Errorf("got %q", got)
	}
}
