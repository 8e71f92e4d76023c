package report

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/plimsoll/plimsoll/internal/match"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the findings as JUnit XML for CI test reports (Jenkins,
// GitLab, CircleCI): one test case per finding, failed when it fails the gate
// (every finding fails without --fail-on), and one per ignored finding, skipped
// with the rule's reason. A clean image is one passing case.
func WriteJUnit(w io.Writer, rep *Scan) error {
	s := junitSuite{Name: "plimsoll scan " + rep.Source.Reference}
	for _, f := range rep.Findings {
		c := junitCase{Name: fmt.Sprintf("%s %s@%s", f.ID, f.Package.Name, f.Package.Version), Classname: string(f.Package.Type) + ":" + f.Package.Name}
		detail := fmt.Sprintf("%s\nseverity: %s\nfix: %s %s\npath: %s (layer %d)%s\n", f.Summary, f.SeverityLevel, f.FixState, f.NearestFix, f.Package.Path, f.Package.IntroducedBy, removedNote(&f))
		if rep.FailOn == "" || match.SeverityRank(f.SeverityLevel) >= match.SeverityRank(rep.FailOn) {
			c.Failure = &junitFailure{Message: fmt.Sprintf("%s (%s) in %s %s", f.ID, f.SeverityLevel, f.Package.Name, f.Package.Version), Type: f.SeverityLevel, Text: detail}
			s.Failures++
		} else {
			c.SystemOut = detail
		}
		s.Cases = append(s.Cases, c)
	}
	for _, ig := range rep.Ignored {
		s.Cases = append(s.Cases, junitCase{Name: fmt.Sprintf("%s %s@%s", ig.ID, ig.Package.Name, ig.Package.Version),
			Classname: string(ig.Package.Type) + ":" + ig.Package.Name, Skipped: &junitSkipped{Message: "ignored: " + ig.Rule.Reason}})
		s.Skipped++
	}
	if len(s.Cases) == 0 {
		s.Cases = []junitCase{{Name: "no known vulnerabilities", Classname: "plimsoll"}}
	}
	s.Tests = len(s.Cases)
	doc := junitSuites{Name: "plimsoll", Tests: s.Tests, Failures: s.Failures, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
