// Package spdx maps the license names packages declare (Debian short names,
// Python trove classifiers, npm and PyPI free text) to SPDX license identifiers.
package spdx

import "strings"

// ids are the SPDX identifiers recognised as written, by their lower-case form.
var ids = func() map[string]string {
	m := map[string]string{}
	for _, id := range []string{
		"0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0",
		"Artistic-1.0", "Artistic-2.0", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause",
		"BSD-4-Clause", "BSL-1.0", "CC0-1.0", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0",
		"CDDL-1.0", "curl", "EPL-1.0", "EPL-2.0", "EUPL-1.2", "FTL", "GFDL-1.2-or-later", "GFDL-1.3-only",
		"GFDL-1.3-or-later", "GPL-1.0-or-later", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only",
		"GPL-3.0-or-later", "HPND", "ISC", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1-only",
		"LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0",
		"OpenSSL", "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "Unicode-DFS-2016", "Unlicense",
		"WTFPL", "X11", "Zlib", "ZPL-2.1",
	} {
		m[strings.ToLower(id)] = id
	}
	return m
}()

// aliases are common non-SPDX spellings, lower-case.
var aliases = map[string]string{
	// Debian copyright short names (DEP-5).
	"gpl-1+": "GPL-1.0-or-later", "gpl-2": "GPL-2.0-only", "gpl-2+": "GPL-2.0-or-later",
	"gpl-3": "GPL-3.0-only", "gpl-3+": "GPL-3.0-or-later", "lgpl-2": "LGPL-2.0-only",
	"lgpl-2+": "LGPL-2.0-or-later", "lgpl-2.1": "LGPL-2.1-only", "lgpl-2.1+": "LGPL-2.1-or-later",
	"lgpl-3": "LGPL-3.0-only", "lgpl-3+": "LGPL-3.0-or-later", "agpl-3": "AGPL-3.0-only",
	"agpl-3+": "AGPL-3.0-or-later", "gfdl-1.2+": "GFDL-1.2-or-later", "gfdl-1.3": "GFDL-1.3-only",
	"gfdl-1.3+": "GFDL-1.3-or-later", "expat": "MIT", "bsd-2-clause": "BSD-2-Clause",
	"bsd-3-clause": "BSD-3-Clause", "bsd-4-clause": "BSD-4-Clause", "apache-2": "Apache-2.0",
	"artistic": "Artistic-1.0", "mpl-2": "MPL-2.0", "zlib": "Zlib", "public-domain": "",
	"psf": "PSF-2.0", "psf-2": "PSF-2.0",
	"gpl2": "GPL-2.0-only", "gpl2+": "GPL-2.0-or-later", "gpl3": "GPL-3.0-only", "gpl3+": "GPL-3.0-or-later",
	"lgpl2+": "LGPL-2.0-or-later", "lgpl2.1+": "LGPL-2.1-or-later", "lgpl2.1": "LGPL-2.1-only",
	// Free text as npm and PyPI metadata write it.
	"mit license": "MIT", "the mit license": "MIT", "apache license 2.0": "Apache-2.0",
	"apache license, version 2.0": "Apache-2.0", "apache 2.0": "Apache-2.0",
	"apache software license": "Apache-2.0", "new bsd license": "BSD-3-Clause",
	"isc license": "ISC", "isc license (iscl)": "ISC", "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
	"gplv2": "GPL-2.0-only", "gplv2+": "GPL-2.0-or-later", "gplv3": "GPL-3.0-only", "gplv3+": "GPL-3.0-or-later",
	"gnu general public license v2 (gplv2)": "GPL-2.0-only", "gnu general public license v3 (gplv3)": "GPL-3.0-only",
	"gnu lesser general public license v2 or later (lgplv2+)": "LGPL-2.0-or-later",
	"gnu lesser general public license v3 (lgplv3)":           "LGPL-3.0-only",
	"python software foundation license":                      "PSF-2.0",
	"the unlicense (unlicense)":                               "Unlicense",
	"gpl-2.0":                                                 "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only", "lgpl-2.1-or-later": "LGPL-2.1-or-later",
	"gpl-2.0+": "GPL-2.0-or-later", "gpl-3.0+": "GPL-3.0-or-later",
}

// ID returns the SPDX identifier for a declared license name, and whether it is
// one. Unknown names come back trimmed, with ok false.
func ID(name string) (id string, ok bool) {
	n := strings.TrimSpace(name)
	l := strings.ToLower(n)
	if id, ok := ids[l]; ok {
		return id, true
	}
	if id, ok := aliases[l]; ok && id != "" {
		return id, true
	}
	return n, false
}

// Normalize maps a declared license to SPDX when it can, else keeps it as
// declared. Empty input gives "".
func Normalize(name string) string {
	id, _ := ID(name)
	return id
}

// Split splits a license expression ("GPL-2+ or Artistic", "MIT AND (Apache-2.0
// OR BSD-3-Clause)", "BSD-3-clause and MIT, with exception", "MIT BSD GPL2+") into
// its license names, each normalised. Exceptions ("WITH X") are dropped with the
// word that introduces them.
func Split(expr string) []string {
	var out []string
	expr = strings.NewReplacer("(", " ", ")", " ", ",", " , ").Replace(expr)
	words := strings.Fields(expr)
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch strings.ToLower(w) {
		case "or", "and", "|", "&", ",", "/":
			continue
		case "with":
			for i+1 < len(words) && !isOperator(words[i+1]) {
				i++
			}
			continue
		}
		if w = strings.Trim(w, ".;"); w != "" {
			out = append(out, Normalize(w))
		}
	}
	return out
}

func isOperator(w string) bool {
	switch strings.ToLower(w) {
	case "or", "and", "|", "&", ",", "/":
		return true
	}
	return false
}
