package vulndb

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
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

// decoder reads the binary form; the first error sticks.
type decoder struct {
	b []byte
	// s, when shared, holds the same bytes as b: strings are cut from it
	// rather than copied one by one, so decoding a row costs one allocation,
	// and b may be memory the database driver reuses (sql.RawBytes).
	s      string
	shared bool
	err    error
}

// sharedDecoder decodes data through one string copy of it.
func sharedDecoder(data []byte) *decoder {
	return &decoder{b: data, s: string(data), shared: true}
}

func (d *decoder) skip(n int) {
	d.b = d.b[n:]
	if d.shared {
		d.s = d.s[n:]
	}
}

func (d *decoder) num() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b)) { // a count never exceeds the bytes left
		d.err = errCodec
		return 0
	}
	d.skip(n)
	return int(v)
}

func (d *decoder) str() string {
	n := d.num()
	if d.err != nil || n > len(d.b) {
		d.err = errCodec
		return ""
	}
	var s string
	if d.shared {
		s = d.s[:n]
	} else {
		s = string(d.b[:n])
	}
	d.skip(n)
	return s
}

func (d *decoder) raw() json.RawMessage {
	if s := d.str(); s != "" {
		return json.RawMessage(s)
	}
	return nil
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errCodec
		return 0
	}
	c := d.b[0]
	d.skip(1)
	return c
}

// decodeAffected decodes an affected row's data into a. It keeps no reference
// to data, which may be memory the driver reuses.
func decodeAffected(data []byte, a *Affected) error {
	if len(data) > 0 && data[0] == '{' {
		return json.Unmarshal(data, a)
	}
	if len(data) == 0 || data[0] != affectedCodecV1 {
		return fmt.Errorf("%w: unknown format", errCodec)
	}
	d := sharedDecoder(data[1:])
	a.Package = Package{Ecosystem: d.str(), Name: d.str(), Purl: d.str()}
	if n := d.num(); n > 0 {
		a.Severity = make([]Severity, n)
		for i := range a.Severity {
			a.Severity[i] = Severity{Type: d.str(), Score: d.str()}
		}
	}
	if n := d.num(); n > 0 {
		a.Ranges = make([]Range, n)
		for i := range a.Ranges {
			r := &a.Ranges[i]
			r.Type, r.Repo = d.str(), d.str()
			r.Events = make([]Event, d.num())
			for j := range r.Events {
				if err := setEvent(&r.Events[j], d.byte(), d.str()); err != nil && d.err == nil {
					d.err = err
				}
			}
			r.DatabaseSpecific = d.raw()
		}
	}
	if n := d.num(); n > 0 {
		a.Versions = make([]string, n)
		for i := range a.Versions {
			a.Versions[i] = d.str()
		}
	}
	a.EcosystemSpecific, a.DatabaseSpecific = d.raw(), d.raw()
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCodec, len(d.b))
	}
	return d.err
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
