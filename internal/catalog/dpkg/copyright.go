package dpkg

import (
	"bufio"
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/catalog/internal/spdx"
)

// commonLicense finds references to /usr/share/common-licenses/NAME in copyright
// files that are not machine-readable.
var commonLicense = regexp.MustCompile(`/usr/share/common-licenses/([A-Za-z0-9.+_-]+)`)

// ParseCopyright returns the licenses a /usr/share/doc/<pkg>/copyright file
// declares: the License: fields of a machine-readable (DEP-5) file, split on "or",
// "and" and ",", else the common-licenses files it points to. Names are mapped to
// SPDX identifiers where known and kept as written otherwise; the result is sorted
// and free of duplicates.
func ParseCopyright(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		line := sc.Text()
		k, v, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(k, "license") {
			continue
		}
		out = append(out, spdx.Split(v)...)
	}
	if len(out) == 0 {
		for _, m := range commonLicense.FindAllSubmatch(b, -1) {
			name := strings.TrimSuffix(string(m[1]), ".")
			if name != "" {
				out = append(out, spdx.Normalize(name))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
