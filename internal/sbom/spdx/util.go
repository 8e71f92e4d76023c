package spdx

import (
	"encoding/hex"
	"slices"
	"strings"

	"github.com/spdx/tools-golang/spdx/v2/common"
)

// checksum turns "sha256:<hex>" (or sha1, sha512, md5) into an SPDX checksum.
func checksum(digest string) (common.Checksum, bool) {
	algo, value, ok := strings.Cut(digest, ":")
	if !ok {
		return common.Checksum{}, false
	}
	var a common.ChecksumAlgorithm
	var n int
	switch algo {
	case "sha256":
		a, n = common.SHA256, 32
	case "sha512":
		a, n = common.SHA512, 64
	case "sha1":
		a, n = common.SHA1, 20
	case "md5":
		a, n = common.MD5, 16
	default:
		return common.Checksum{}, false
	}
	if b, err := hex.DecodeString(value); err != nil || len(b) != n {
		return common.Checksum{}, false
	}
	return common.Checksum{Algorithm: a, Value: value}, true
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func sortStrings(s []string) { slices.Sort(s) }
