package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// layeredImage is a Debian base (layer 0) with an application built on it by
// BuildKit: an ssh server installed (layer 1) and the application copied
// (layer 2); its history records the steps as BuildKit writes created_by.
func layeredImage() imagetest.Image {
	return imagetest.Image{
		Config: v1.Config{User: "app", ExposedPorts: map[string]struct{}{"22/tcp": {}}},
		Layers: []imagetest.Layer{
			{CreatedBy: "/bin/sh -c #(nop) ADD file:6a2ba4a7d5e3f8b0c1f9f4a4b7e8d1c2 in / ", Entries: []imagetest.Entry{
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			}},
			{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y openssh-server # buildkit",
				HistoryBefore: []v1.History{{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`}, {CreatedBy: "WORKDIR /app"}},
				Entries:       []imagetest.Entry{imagetest.File("usr/sbin/sshd", "sshd")}},
			{CreatedBy: "COPY app /app # buildkit", Entries: []imagetest.Entry{imagetest.File("app/server", "server")}},
		},
		EmptyHistory: []v1.History{{CreatedBy: "EXPOSE map[22/tcp:{}]"}, {CreatedBy: "USER app"}},
	}
}

// TestEvaluateDockerfileLayers: with --dockerfile, each instruction has the
// layer of the history step it made, so layers: base and layers: application
// rules see the right ones; a Dockerfile that is not the image's leaves its
// instructions without a layer, and says so.
func TestEvaluateDockerfileLayers(t *testing.T) {
	_, dbDir := evalFixture(t)
	ref := writeImage(t, layeredImage())
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	real := write("Dockerfile", "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\n"+
		"FROM docker.io/library/debian:12\nWORKDIR /app\nRUN apt-get update && apt-get install -y openssh-server\n"+
		"COPY app /app\nEXPOSE 22\nUSER app\n")
	other := write("Other.Dockerfile", "FROM alpine:3.19\nRUN apk add openssh-server\nCOPY site /srv\n")
	rule := func(id, layers, instr, check, value string) string {
		return `{"id":"` + id + `","gate":"dockerfile","trigger":"instruction","action":"STOP","layers":"` + layers + `","params":[` +
			`{"name":"instruction","value":"` + instr + `"},{"name":"check","value":"` + check + `"},{"name":"value","value":"` + value + `"}]}`
	}
	bundle := write("layers.json", `{"id":"l","version":"1_0","policies":[{"id":"p","rules":[`+
		rule("ssh-app", "application", "RUN", "like", "openssh-server")+","+
		rule("ssh-base", "base", "RUN", "like", "openssh-server")+","+
		rule("approved-base", "base", "FROM", "not_like", "^registry\\\\.example\\\\.com/")+`]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`)
	results := func(dockerfile string) []string {
		t.Helper()
		out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle, "--base-layers", "1", "--dockerfile", dockerfile, "-o", "json")
		if code != exitFail {
			t.Fatalf("exit %d, want 1: %s\n%s", code, stderr, out)
		}
		var ev struct {
			Results []struct {
				RuleID, TriggerID, Detail, CreatedBy string
				Layer                                int
			}
		}
		if err := json.Unmarshal([]byte(out), &ev); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range ev.Results {
			s := r.RuleID + " " + r.TriggerID + " @" + map[bool]string{true: "-", false: r.CreatedBy}[r.Layer < 0]
			if r.Layer < 0 && strings.Contains(r.Detail, "layer unknown") {
				s += " (layer unknown)"
			}
			got = append(got, s)
		}
		return got
	}
	want := []string{
		"ssh-app RUN apt-get update && apt-get install -y openssh-server @RUN /bin/sh -c apt-get update && apt-get install -y openssh-server # buildkit",
		"approved-base FROM docker.io/library/debian:12 @/bin/sh -c #(nop) ADD file:6a2ba4a7d5e3f8b0c1f9f4a4b7e8d1c2 in / ",
	}
	if diff := cmp.Diff(want, results(real)); diff != "" {
		t.Errorf("the image's Dockerfile (-want +got):\n%s", diff)
	}
	// Unknown layers count as the application's (image-wide), never the base's.
	want = []string{"ssh-app RUN apk add openssh-server @- (layer unknown)"}
	if diff := cmp.Diff(want, results(other)); diff != "" {
		t.Errorf("another image's Dockerfile (-want +got):\n%s", diff)
	}
}
