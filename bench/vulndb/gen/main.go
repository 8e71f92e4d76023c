// Command gen writes a synthetic OSV corpus as a zip of JSON records, shaped
// like the real exports: the default plimsoll ecosystems in realistic shares,
// distribution records affecting several releases, Zipf-distributed package
// names (a few packages with very many advisories), ECOSYSTEM and SEMVER
// ranges, explicit version lists, aliases, CVSS vectors and references.
//
//	gen -n 500000 -out corpus.zip             # the full corpus
//	gen -n 500000 -update 1000 -out upd.zip   # 1,000 of its records, modified later
//
// Record i is the same for a given seed, so -update rewrites existing ids.
package main

import (
	"archive/zip"
	"compress/flate"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

type eco struct {
	name     string
	share    int      // records per 500
	prefix   string   // id prefix
	releases []string // ecosystem suffixes; nil for language ecosystems
	pool     int      // distinct package names
	rangeTyp string
	hot      []string // real names at the head of the Zipf distribution
}

var ecos = []eco{
	{"Debian", 60, "DEBIAN-CVE-", []string{"10", "11", "12", "13"}, 6000, "ECOSYSTEM", []string{"linux", "chromium", "openssl", "imagemagick", "firefox-esr"}},
	{"Ubuntu", 70, "UBUNTU-CVE-", []string{"18.04:LTS", "20.04:LTS", "22.04:LTS", "24.04:LTS", "Pro:16.04:LTS"}, 6000, "ECOSYSTEM", []string{"linux", "linux-aws", "openssl", "curl"}},
	{"Alpine", 15, "ALPINE-CVE-", []string{"v3.15", "v3.16", "v3.17", "v3.18", "v3.19", "v3.20", "v3.21"}, 2500, "ECOSYSTEM", []string{"openssl", "curl", "busybox"}},
	{"Red Hat", 25, "RHSA-", []string{"enterprise_linux:8::appstream", "enterprise_linux:9::baseos", "enterprise_linux:9::appstream"}, 4000, "ECOSYSTEM", []string{"kernel", "firefox", "thunderbird"}},
	{"Rocky Linux", 8, "RLSA-", []string{"8", "9"}, 3000, "ECOSYSTEM", []string{"kernel"}},
	{"AlmaLinux", 8, "ALSA-", []string{"8", "9"}, 3000, "ECOSYSTEM", []string{"kernel"}},
	{"SUSE", 40, "SUSE-SU-", []string{"SUSE Linux Enterprise Server 15 SP5", "SUSE Linux Enterprise Server 15 SP6", "SUSE Linux Enterprise Desktop 15 SP6"}, 5000, "ECOSYSTEM", []string{"kernel-default", "libopenssl3"}},
	{"openSUSE", 20, "openSUSE-SU-", []string{"Leap 15.5", "Leap 15.6"}, 5000, "ECOSYSTEM", []string{"chromium"}},
	{"Wolfi", 15, "CGA-W", nil, 3000, "ECOSYSTEM", []string{"go-1.22", "python-3.12"}},
	{"Chainguard", 15, "CGA-C", nil, 3000, "ECOSYSTEM", []string{"go-1.22"}},
	{"npm", 150, "MAL-", nil, 120000, "SEMVER", []string{"lodash", "minimist"}},
	{"PyPI", 25, "PYSEC-", nil, 15000, "ECOSYSTEM", []string{"tensorflow", "django", "pillow"}},
	{"Go", 6, "GO-", nil, 2500, "SEMVER", []string{"stdlib", "golang.org/x/net"}},
	{"Maven", 15, "GHSA-M", nil, 6000, "ECOSYSTEM", []string{"org.apache.tomcat:tomcat-catalina"}},
	{"RubyGems", 5, "GHSA-R", nil, 2000, "ECOSYSTEM", []string{"rails"}},
	{"crates.io", 5, "RUSTSEC-", nil, 2000, "SEMVER", []string{"tokio"}},
	{"Packagist", 8, "GHSA-P", nil, 3000, "ECOSYSTEM", []string{"drupal/core"}},
	{"NuGet", 10, "GHSA-N", nil, 3000, "ECOSYSTEM", []string{"System.Text.Json"}},
}

const words = "buffer overflow in the parser allows remote attackers to cause a denial of service or possibly execute arbitrary code via a crafted request when the server handles untrusted input without validating its length and an integer overflow leads to heap corruption use after free in the handler"

func main() {
	n := flag.Int("n", 500000, "records in the corpus")
	update := flag.Int("update", 0, "write only this many randomly chosen records of the corpus, modified later")
	out := flag.String("out", "corpus.zip", "zip to write")
	seed := flag.Uint64("seed", 1, "random seed")
	pick := flag.Uint64("pick", 99, "random seed for choosing the -update records")
	flag.Parse()
	if err := write(*out, *n, *update, *seed, *pick); err != nil {
		log.Fatal(err)
	}
}

func write(out string, n, update int, seed, pick uint64) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	indices := make([]int, 0, n)
	if update > 0 {
		r := rand.New(rand.NewPCG(seed, pick))
		for _, i := range r.Perm(n)[:update] {
			indices = append(indices, i)
		}
	} else {
		for i := range n {
			indices = append(indices, i)
		}
	}
	for _, i := range indices {
		rec := record(i, seed, update > 0)
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		w, err := zw.Create(rec["id"].(string) + ".json")
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// ecoOf assigns record i to an ecosystem by the shares.
func ecoOf(i int) eco {
	k := i % 500
	for _, e := range ecos {
		if k < e.share {
			return e
		}
		k -= e.share
	}
	return ecos[len(ecos)-1]
}

type obj = map[string]any

func record(i int, seed uint64, modified bool) obj {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	e := ecoOf(i)
	year := 2016 + r.IntN(10)
	cve := fmt.Sprintf("CVE-%d-%d", year, 1000+i)
	id := e.prefix + fmt.Sprintf("%d-%07d", year, i)
	mod := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(7 * 365 * 24 * time.Hour))))
	if modified {
		mod = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	}
	name := pkgName(e, rand.NewZipf(r, 1.07, 2, uint64(e.pool-1)))
	rec := obj{
		"schema_version": "1.6.0", "id": id, "modified": mod.Format(time.RFC3339),
		"published": mod.Add(-30 * 24 * time.Hour).Format(time.RFC3339),
		"aliases":   []string{cve}, "summary": fmt.Sprintf("%s: %s", name, words[:40+r.IntN(60)]),
		"details":  strings.Repeat(words+". ", 6)[:300+r.IntN(1200)],
		"affected": affected(e, name, r, modified),
		"references": []obj{
			{"type": "ADVISORY", "url": "https://security.example.org/advisories/" + id},
			{"type": "WEB", "url": "https://nvd.nist.gov/vuln/detail/" + cve},
			{"type": "FIX", "url": fmt.Sprintf("https://github.com/example/%s/commit/%040x", strings.ReplaceAll(name, "/", "-"), r.Uint64())},
		},
	}
	if r.IntN(2) == 0 {
		rec["severity"] = []obj{{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}
	}
	if e.releases != nil {
		rec["upstream"] = []string{cve}
		delete(rec, "aliases")
	}
	return rec
}

func pkgName(e eco, z *rand.Zipf) string {
	k := int(z.Uint64())
	if k < len(e.hot) {
		return e.hot[k]
	}
	switch e.name {
	case "Go":
		return fmt.Sprintf("github.com/example%d/module%d", k%500, k)
	case "Maven":
		return fmt.Sprintf("org.example%d:artifact-%d", k%700, k)
	case "Packagist":
		return fmt.Sprintf("vendor%d/package-%d", k%300, k)
	case "npm":
		if k%5 == 0 {
			return fmt.Sprintf("@scope%d/pkg-%d", k%900, k)
		}
	}
	return fmt.Sprintf("%s-pkg-%d", strings.ToLower(strings.Fields(e.name)[0]), k)
}

func version(r *rand.Rand, distro bool) string {
	v := fmt.Sprintf("%d.%d.%d", r.IntN(10), r.IntN(30), r.IntN(20))
	if distro {
		v += fmt.Sprintf("-%d", 1+r.IntN(5))
	}
	return v
}

func affected(e eco, name string, r *rand.Rand, modified bool) []obj {
	distro := e.releases != nil
	var out []obj
	suffixes := []string{""}
	if distro {
		k := 1 + r.IntN(len(e.releases))
		start := r.IntN(len(e.releases) - k + 1)
		suffixes = nil
		for _, rel := range e.releases[start : start+k] {
			suffixes = append(suffixes, ":"+rel)
		}
	}
	for _, s := range suffixes {
		events := []obj{{"introduced": "0"}}
		if e.rangeTyp == "SEMVER" && r.IntN(3) == 0 {
			events = []obj{{"introduced": version(r, false)}}
		}
		if fixed := version(r, distro); r.IntN(10) > 0 || modified {
			events = append(events, obj{"fixed": fixed})
		}
		ranges := []obj{{"type": e.rangeTyp, "events": events}}
		if !distro && r.IntN(4) == 0 { // a second branch
			ranges = append(ranges, obj{"type": e.rangeTyp, "events": []obj{{"introduced": version(r, false)}, {"fixed": version(r, false)}}})
		}
		a := obj{"package": obj{"ecosystem": e.name + s, "name": name}, "ranges": ranges}
		if e.name == "PyPI" && r.IntN(2) == 0 {
			var vs []string
			for range 5 + r.IntN(35) {
				vs = append(vs, version(r, false))
			}
			a["versions"] = vs
		}
		if e.name == "Go" {
			a["ecosystem_specific"] = obj{"imports": []obj{{"path": name + "/internal/parse", "symbols": []string{"Parse", "Decode"}}}}
		}
		out = append(out, a)
	}
	return out
}
