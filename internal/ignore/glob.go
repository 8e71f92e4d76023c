package ignore

import (
	"fmt"
	"path"
	"strings"
)

// Glob matches a slash-separated path against a pattern in path.Match syntax,
// where a "**" element also matches any number of directories.
func Glob(pattern, name string) bool {
	return globParts(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func globParts(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if globParts(rest, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// validGlob refuses a pattern with a malformed element (path.ErrBadPattern)
// and one that can never match the absolute paths packages are found at: it
// must start with "/" or with a "**" element.
func validGlob(pattern string) error {
	if !strings.HasPrefix(pattern, "/") && pattern != "**" && !strings.HasPrefix(pattern, "**/") {
		return fmt.Errorf("path %q can never match: package paths are absolute, so want an absolute path glob (starting with \"/\" or \"**/\")", pattern)
	}
	for _, el := range strings.Split(pattern, "/") {
		if el == "**" {
			continue
		}
		if _, err := path.Match(el, ""); err != nil {
			return fmt.Errorf("path %q: element %q: %w", pattern, el, err)
		}
	}
	return nil
}
