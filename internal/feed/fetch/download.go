package fetch

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// ErrChecksum is wrapped by errors for a download whose checksum does not match.
var ErrChecksum = errors.New("checksum mismatch")

// Download fetches a URL into the file dst (created or truncated). When an
// attempt breaks off mid-body and the server supports ranges, the next attempt
// resumes where it stopped (Range with If-Range). The body is checked against
// Content-Length and, when the server sends one, an x-goog-hash MD5.
func (c *Client) Download(ctx context.Context, req Request, dst string) (*Response, error) {
	f, err := os.Create(dst)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", req.URL, err)
	}
	defer f.Close()
	var out *Response
	var have int64 // bytes of the current representation already in f
	var validator string
	err = c.retry(ctx, req.URL, func(ctx context.Context) (time.Duration, error) {
		if c.DownloadTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, c.DownloadTimeout)
			defer cancel()
		}
		rng := ""
		r := req
		if have > 0 && validator != "" {
			rng = fmt.Sprintf("bytes=%d-", have)
			r.Header = req.Header.Clone()
			if r.Header == nil {
				r.Header = http.Header{}
			}
			r.Header.Set("If-Range", validator)
		}
		resp, after, err := c.do(ctx, r, rng)
		if err != nil || resp == nil {
			return after, err
		}
		defer resp.Body.Close()
		out = responseOf(resp)
		if out.NotModified {
			return 0, nil
		}
		if resp.StatusCode != http.StatusPartialContent {
			have = 0 // a full body: start over
			if err := f.Truncate(0); err != nil {
				return 0, err
			}
		}
		if _, err := f.Seek(have, io.SeekStart); err != nil {
			return 0, err
		}
		validator = ""
		if resp.Header.Get("Accept-Ranges") == "bytes" || resp.StatusCode == http.StatusPartialContent {
			validator = out.ETag
		}
		total := int64(-1)
		if resp.ContentLength >= 0 {
			total = have + resp.ContentLength
		}
		n, err := io.Copy(f, &progressReader{r: resp.Body, url: req.URL, done: have, total: total, fn: c.Progress})
		have += n
		if err != nil {
			return 0, retryable{fmt.Errorf("download %s: %w", req.URL, err)}
		}
		if total >= 0 && have != total {
			return 0, retryable{fmt.Errorf("download %s: got %d of %d bytes", req.URL, have, total)}
		}
		if err := verifyGoogHash(f, resp.Header.Values("X-Goog-Hash"), req.URL); err != nil {
			have, validator = 0, "" // corrupt: fetch it whole again
			return 0, retryable{err}
		}
		return 0, nil
	})
	if err != nil {
		return nil, err
	}
	return out, f.Close()
}

// verifyGoogHash checks the file against an md5= entry of x-goog-hash, which
// Google Cloud Storage (the OSV bucket) sends for whole objects.
func verifyGoogHash(f *os.File, values []string, url string) error {
	var want []byte
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if b64, ok := strings.CutPrefix(strings.TrimSpace(part), "md5="); ok {
				want, _ = base64.StdEncoding.DecodeString(b64)
			}
		}
	}
	if want == nil {
		return nil
	}
	var h hash.Hash = md5.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	if got := h.Sum(nil); !bytes.Equal(got, want) {
		return fmt.Errorf("download %s: %w: md5 %x, server says %x", url, ErrChecksum, got, want)
	}
	return nil
}

type progressReader struct {
	r           io.Reader
	url         string
	done, total int64
	fn          func(string, int64, int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.fn != nil {
		p.fn(p.url, p.done, p.total)
	}
	return n, err
}
