package java

import (
	"bytes"
	"encoding/json"
	"errors"
)

// reducedMagic starts the reduced form of an archive: what Archive found in it,
// as JSON, so the walk holds a few hundred bytes per archive instead of the
// archive.
const reducedMagic = "plimsoll-java-archive\n"

type reduced struct {
	Artifacts []Artifact `json:"artifacts"`
	Problems  []string   `json:"problems,omitempty"`
}

// reducer reads an archive while its layer streams and keeps only its artifacts
// and problems.
func (c *Cataloger) reducer(p string, content []byte) ([]byte, error) {
	arts, problems := Archive(p, content, c.limits)
	r := reduced{Artifacts: arts}
	for _, e := range problems {
		r.Problems = append(r.Problems, e.Error())
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	return append([]byte(reducedMagic), b...), nil
}

// read returns an archive's artifacts from its reduced form or, for content
// held whole, by reading it.
func (c *Cataloger) read(p string, content []byte) ([]Artifact, []error) {
	rest, ok := bytes.CutPrefix(content, []byte(reducedMagic))
	if !ok {
		return Archive(p, content, c.limits)
	}
	var r reduced
	if err := json.Unmarshal(rest, &r); err != nil {
		return nil, []error{err}
	}
	var problems []error
	for _, s := range r.Problems {
		problems = append(problems, errors.New(s))
	}
	return r.Artifacts, problems
}
