// Package input reads an SBOM document from untrusted input with a size cap.
package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxSize is the largest document the decoders read: 512 MiB, several times
// the largest real SBOM, so that a hostile input cannot exhaust memory.
const MaxSize = 512 << 20

// ErrTooLarge reports a document over MaxSize.
var ErrTooLarge = errors.New("document larger than 512 MiB")

// ReadAll reads r to its end, failing with ErrTooLarge past max bytes (MaxSize
// when max is 0 or less). A leading UTF-8 byte-order mark, which some Windows
// tools write and JSON forbids, is dropped.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	if max <= 0 {
		max = MaxSize
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if int64(len(b)) > max {
		if max == MaxSize {
			return nil, ErrTooLarge
		}
		return nil, fmt.Errorf("document larger than %d bytes: %w", max, ErrTooLarge)
	}
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), nil
}
