package vulndb

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// The affected table stores each entry in a compact binary form, because the
// hot query decodes every row it returns and encoding/json would dominate its
// cost. Layout: the version byte 0x01, then uvarint-length-prefixed strings and
// uvarint counts:
//
//	ecosystem name purl
//	n×(severity type, score)
//	n×(range type, repo, n×(event kind 1-4, value), database_specific)
//	n×version
//	ecosystem_specific database_specific
//
// Rows that start with '{' are JSON, the form of early databases.
const affectedCodecV1 = 0x01

var errCodec = errors.New("malformed affected entry")

func encodeAffected(a *Affected) []byte {
	b := make([]byte, 0, 256)
	b = append(b, affectedCodecV1)
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(n int) { b = binary.AppendUvarint(b, uint64(n)) }
	str(a.Package.Ecosystem)
	str(a.Package.Name)
	str(a.Package.Purl)
	num(len(a.Severity))
	for _, s := range a.Severity {
		str(s.Type)
		str(s.Score)
	}
	num(len(a.Ranges))
	for _, r := range a.Ranges {
		str(r.Type)
		str(r.Repo)
		num(len(r.Events))
		for _, e := range r.Events {
			kind, v := eventKind(e)
			b = append(b, kind)
			str(v)
		}
		str(string(r.DatabaseSpecific))
	}
	num(len(a.Versions))
	for _, v := range a.Versions {
		str(v)
	}
	str(string(a.EcosystemSpecific))
	str(string(a.DatabaseSpecific))
	return b
}

func eventKind(e Event) (byte, string) {
	switch {
	case e.Introduced != "":
		return 1, e.Introduced
	case e.Fixed != "":
		return 2, e.Fixed
	case e.LastAffected != "":
		return 3, e.LastAffected
	default:
		return 4, e.Limit
	}
}

// decoder reads the binary form from a string holding a row's bytes, copied
// out of the driver's memory once: every decoded string is cut from it. The
// first error sticks.
type decoder struct {
	s   string
	err error
}

// num reads a uvarint, as binary.Uvarint does, that is no larger than the
// bytes left after it: a count or length never exceeds them.
func (d *decoder) num() int {
	if d.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		if c >= 0x80 {
			v |= uint64(c&0x7f) << (7 * i)
			continue
		}
		if i == binary.MaxVarintLen64-1 && c > 1 {
			break // overflows 64 bits
		}
		v |= uint64(c) << (7 * i)
		d.s = d.s[i+1:]
		if v > uint64(len(d.s)) {
			break
		}
		return int(v)
	}
	d.err = errCodec
	return 0
}

func (d *decoder) str() string {
	n := d.num()
	if d.err != nil {
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *decoder) raw() json.RawMessage {
	if s := d.str(); s != "" {
		return json.RawMessage(s)
	}
	return nil
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.s) == 0 {
		d.err = errCodec
		return 0
	}
	c := d.s[0]
	d.s = d.s[1:]
	return c
}

// decodeAffected decodes an affected row held in s into a; a's strings are
// cut from s. With reuse, a's slices are overwritten in place, keeping their
// arrays (and each range's events'), so that a reader that keeps few entries
// decodes the rest without allocating; without it, they are new. Rows that
// start with '{' are the JSON of early databases.
func decodeAffected(s string, a *Affected, reuse bool) error {
	if len(s) > 0 && s[0] == '{' {
		*a = Affected{}
		return json.Unmarshal([]byte(s), a)
	}
	if len(s) == 0 || s[0] != affectedCodecV1 {
		return fmt.Errorf("%w: unknown format", errCodec)
	}
	d := &decoder{s: s[1:]}
	a.Package = Package{Ecosystem: d.str(), Name: d.str(), Purl: d.str()}
	a.Severity = sized(a.Severity, d.num(), reuse)
	for i := range a.Severity {
		a.Severity[i] = Severity{Type: d.str(), Score: d.str()}
	}
	a.Ranges = sized(a.Ranges, d.num(), reuse)
	for i := range a.Ranges {
		r := &a.Ranges[i]
		r.Type, r.Repo = d.str(), d.str()
		r.Events = sized(r.Events, d.num(), reuse)
		for j := range r.Events {
			r.Events[j] = Event{}
			if err := setEvent(&r.Events[j], d.byte(), d.str()); err != nil && d.err == nil {
				d.err = err
			}
		}
		r.DatabaseSpecific = d.raw()
	}
	a.Versions = sized(a.Versions, d.num(), reuse)
	for i := range a.Versions {
		a.Versions[i] = d.str()
	}
	a.EcosystemSpecific, a.DatabaseSpecific = d.raw(), d.raw()
	if d.err == nil && len(d.s) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCodec, len(d.s))
	}
	return d.err
}

// sized returns a slice of n elements: l's array when reuse allows and it is
// large enough (its elements as they were), else a new one; nil for none
// unless reusing.
func sized[E any](l []E, n int, reuse bool) []E {
	if !reuse {
		if n == 0 {
			return nil
		}
		return make([]E, n)
	}
	return slices.Grow(l[:0], n)[:n]
}

func setEvent(e *Event, kind byte, v string) error {
	switch kind {
	case 1:
		e.Introduced = v
	case 2:
		e.Fixed = v
	case 3:
		e.LastAffected = v
	case 4:
		e.Limit = v
	default:
		return fmt.Errorf("%w: event kind %d", errCodec, kind)
	}
	return nil
}
