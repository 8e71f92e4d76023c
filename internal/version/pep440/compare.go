package pep440

import (
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	if c := numstr.Compare(v.epoch, o.epoch); c != 0 {
		return c
	}
	if c := compareRelease(v.trimRel, o.trimRel); c != 0 {
		return c
	}
	if c := comparePre(v, o); c != 0 {
		return c
	}
	if c := compareOptional(v.post, o.post, v.postNum, o.postNum, -1); c != 0 {
		return c
	}
	if c := compareOptional(v.dev, o.dev, v.devNum, o.devNum, 1); c != 0 {
		return c
	}
	return compareLocal(v, o)
}

func compareRelease(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := numstr.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return sign(len(a) - len(b))
}

// preKey orders the pre-release part: a dev-release of the release itself
// (no pre, no post) comes first, then a, b, rc by number, then no pre-release.
func preKey(v Version) (rank int, num string) {
	switch {
	case v.phase != phaseNone:
		return v.phase, v.preNum
	case !v.post && v.dev:
		return -1, ""
	}
	return 3, ""
}

func comparePre(v, o Version) int {
	vr, vn := preKey(v)
	or, on := preKey(o)
	if c := sign(vr - or); c != 0 {
		return c
	}
	return numstr.Compare(vn, on)
}

// compareOptional compares an optional numbered part; absent sorts as
// absentSign relative to present.
func compareOptional(has, ohas bool, num, onum string, absentSign int) int {
	switch {
	case has && ohas:
		return numstr.Compare(num, onum)
	case has:
		return -absentSign
	case ohas:
		return absentSign
	}
	return 0
}

func compareLocal(v, o Version) int {
	switch {
	case !v.hasLocal && !o.hasLocal:
		return 0
	case !v.hasLocal:
		return -1
	case !o.hasLocal:
		return 1
	}
	for i := 0; i < len(v.local) && i < len(o.local); i++ {
		if c := compareLocalSegment(v.local[i], o.local[i]); c != 0 {
			return c
		}
	}
	return sign(len(v.local) - len(o.local))
}

func compareLocalSegment(a, b string) int {
	an, bn := numstr.IsDigits(a), numstr.IsDigits(b)
	switch {
	case an && bn:
		return numstr.Compare(a, b)
	case an:
		return 1
	case bn:
		return -1
	}
	return strings.Compare(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
