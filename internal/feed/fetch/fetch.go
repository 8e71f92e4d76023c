// Package fetch is the HTTP client the feeds share: conditional requests
// (ETag, Last-Modified), retries with exponential backoff that honour
// Retry-After and rate-limit answers (429, and 403 as NVD sends it), per-attempt
// timeouts, resumable downloads to a file, and checksums where the server
// publishes them (GCS's x-goog-hash). Sleeping goes through Client.Sleep so tests
// need not wait.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Client fetches feed data over HTTP. Its zero value is not usable; use New.
type Client struct {
	HTTP       *http.Client
	UserAgent  string
	Retries    int           // retries after the first attempt
	Backoff    time.Duration // first retry delay, doubled after each retry
	MaxBackoff time.Duration
	Timeout    time.Duration // per attempt, for Get
	// DownloadTimeout bounds one attempt of Download (a stalled transfer is
	// retried, resuming where it stopped).
	DownloadTimeout time.Duration
	// Sleep waits for d or until ctx ends; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, when set, is told how many bytes of a download have arrived
	// and how many are expected (-1 when unknown).
	Progress func(url string, done, total int64)
	Logger   *slog.Logger
}

// New returns a client with sensible defaults around hc (http.DefaultClient when nil).
func New(hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			TLSHandshakeTimeout:   30 * time.Second,
			ResponseHeaderTimeout: 2 * time.Minute,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   8,
		}}
	}
	return &Client{
		HTTP: hc, UserAgent: "plimsoll", Retries: 5, Backoff: 2 * time.Second, MaxBackoff: 2 * time.Minute,
		Timeout: 5 * time.Minute, DownloadTimeout: 30 * time.Minute, Sleep: sleep, Logger: slog.Default(),
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Request is one GET.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
	Header       http.Header
	MaxBytes     int64 // for Get: larger bodies are an error; 0 means 256 MiB
}

// Response is a successful answer.
type Response struct {
	NotModified  bool // 304: the caller's copy is current; Body is empty
	Body         []byte
	ETag         string
	LastModified string
}

// StatusError is an HTTP answer that is neither success nor retried to success.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// ErrNotFound matches a 404 answer with errors.Is.
var ErrNotFound = errors.New("not found")

// Is makes a 404 StatusError match ErrNotFound.
func (e *StatusError) Is(target error) bool {
	return target == ErrNotFound && e.Status == http.StatusNotFound
}

// Get fetches a URL into memory, retrying transient failures.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	limit := req.MaxBytes
	if limit == 0 {
		limit = 256 << 20
	}
	var out *Response
	err := c.retry(ctx, req.URL, func(ctx context.Context) (time.Duration, error) {
		ctx, cancel := context.WithTimeout(ctx, c.Timeout)
		defer cancel()
		resp, after, err := c.do(ctx, req, "")
		if err != nil || resp == nil {
			return after, err
		}
		defer resp.Body.Close()
		out = responseOf(resp)
		if out.NotModified {
			return 0, nil
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
		if err != nil {
			return 0, retryable{fmt.Errorf("GET %s: read body: %w", req.URL, err)}
		}
		if int64(len(body)) > limit {
			return 0, fmt.Errorf("GET %s: body larger than %d bytes", req.URL, limit)
		}
		out.Body = body
		return 0, nil
	})
	return out, err
}

func responseOf(resp *http.Response) *Response {
	return &Response{
		NotModified:  resp.StatusCode == http.StatusNotModified,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
}

// retryable marks an error worth another attempt.
type retryable struct{ err error }

func (r retryable) Error() string { return r.err.Error() }
func (r retryable) Unwrap() error { return r.err }

// do sends one request. It returns the response for 2xx and 304, or the wait
// the server asked for with a retryable error, or a final error.
func (c *Client) do(ctx context.Context, req Request, rangeHeader string) (*http.Response, time.Duration, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", req.URL, err)
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	hr.Header.Set("User-Agent", c.UserAgent)
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	if rangeHeader != "" {
		hr.Header.Set("Range", rangeHeader)
	}
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, 0, err
		}
		return nil, 0, retryable{fmt.Errorf("GET %s: %w", req.URL, err)}
	}
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300, s == http.StatusNotModified:
		return resp, 0, nil
	case s == http.StatusTooManyRequests, s == http.StatusForbidden, s == http.StatusRequestTimeout, s >= 500:
		after := retryAfter(resp.Header.Get("Retry-After"))
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, after, retryable{&StatusError{URL: req.URL, Status: s}}
	default:
		resp.Body.Close()
		return nil, 0, &StatusError{URL: req.URL, Status: s}
	}
}

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// retry runs attempt until it succeeds, fails for good, or retries run out.
// attempt returns the delay the server asked for, if any.
func (c *Client) retry(ctx context.Context, url string, attempt func(context.Context) (time.Duration, error)) error {
	delay := c.Backoff
	for i := 0; ; i++ {
		after, err := attempt(ctx)
		var r retryable
		if !errors.As(err, &r) {
			return err // nil, or not worth retrying
		}
		if i >= c.Retries || ctx.Err() != nil {
			return fmt.Errorf("%w (gave up after %d attempts)", r.err, i+1)
		}
		wait := max(delay, after)
		wait = min(wait, c.MaxBackoff)
		if c.Logger != nil {
			c.Logger.Warn("retrying", "url", url, "error", err, "wait", wait, "attempt", i+2)
		}
		if err := c.Sleep(ctx, wait); err != nil {
			return err
		}
		delay = min(delay*2, c.MaxBackoff)
	}
}
