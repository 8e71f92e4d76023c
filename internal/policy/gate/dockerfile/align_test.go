package dockerfile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// step is a history entry; layer < 0 for one that made no layer.
type step struct {
	createdBy string
	layer     int
}

func historyInput(dockerfile string, steps ...step) *gate.Input {
	in := &gate.Input{Dockerfile: dockerfile, DockerfileActual: true}
	for _, s := range steps {
		h := image.HistoryView{CreatedBy: s.createdBy}
		if s.layer >= 0 {
			l := s.layer
			h.Layer = &l
			in.Layers = append(in.Layers, gate.Layer{Index: l})
		}
		in.History = append(in.History, h)
	}
	return in
}

// attributed renders each instruction as "KEYWORD@layer", "@-" for none.
func attributed(in *gate.Input) []string {
	var out []string
	for _, l := range lines(in) {
		layer := fmt.Sprint(l.Layer)
		if l.Layer == gate.NoLayer {
			layer = "-"
		}
		out = append(out, l.Instruction+"@"+layer)
	}
	return out
}

// The created_by lines below are as BuildKit (docker build since 23.0) and
// the classic builder write them; see `docker history --no-trunc`.
func TestAttribute(t *testing.T) {
	base := []step{{"/bin/sh -c #(nop) ADD file:6a2ba4a7d5e3f8b0c1f9f4a4b7e8d1c2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8 in / ", 0}, {`/bin/sh -c #(nop)  CMD ["bash"]`, -1}}
	tests := []struct {
		name, dockerfile string
		steps            []step
		want             []string
	}{{
		name: "buildkit",
		dockerfile: "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE}\nWORKDIR /app\nRUN apt-get update && \\\n    apt-get install -y openssh-server\n" +
			"COPY app /app\nENV PORT=8080 MODE=\"prod\"\nEXPOSE 22 8080\nUSER app\nCMD [\"/app/server\", \"--port\", \"8080\"]\n",
		steps: append(base[:2:2], step{"WORKDIR /app", -1},
			step{"RUN /bin/sh -c apt-get update &&     apt-get install -y openssh-server # buildkit", 1},
			step{"COPY app /app # buildkit", 2}, step{"ENV PORT=8080 MODE=prod", -1}, step{"EXPOSE map[22/tcp:{} 8080/tcp:{}]", -1},
			step{"USER app", -1}, step{`CMD ["/app/server" "--port" "8080"]`, -1}),
		want: []string{"ARG@-", "FROM@0", "WORKDIR@0", "RUN@1", "COPY@2", "ENV@2", "EXPOSE@2", "USER@2", "CMD@2"},
	}, {
		name: "classic builder",
		dockerfile: "FROM debian:12\nARG VERSION=1.2\nRUN curl -fsSL https://example.com/$VERSION | tar -x\nCOPY . /app\nEXPOSE 8080\n" +
			"HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1\n",
		steps: append(base[:2:2], step{"|1 VERSION=1.2 /bin/sh -c curl -fsSL https://example.com/$VERSION | tar -x", 1},
			step{"/bin/sh -c #(nop) COPY dir:0123abcd4567 in /app ", 2}, step{"/bin/sh -c #(nop)  EXPOSE 8080/tcp", -1},
			step{`/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost:8080/ || exit 1"] "30s" "0s" "0s" "0s" '\x00'}`, -1}),
		// The classic builder recorded no step for this ARG: its layer is unknown.
		want: []string{"FROM@0", "ARG@-", "RUN@1", "COPY@2", "EXPOSE@2", "HEALTHCHECK@2"},
	}, {
		name: "multi-stage: only the final stage made the image",
		dockerfile: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n" +
			"FROM gcr.io/distroless/static-debian12 AS final\nCOPY --from=build /out/app /usr/local/bin/app\nUSER nonroot\nENTRYPOINT [\"/usr/local/bin/app\"]\n",
		steps: []step{{"bazel build //base:static_root_amd64_debian12", 0}, {"COPY /out/app /usr/local/bin/app # buildkit", 1},
			{"USER nonroot", -1}, {`ENTRYPOINT ["/usr/local/bin/app"]`, -1}},
		want: []string{"FROM@-", "WORKDIR@-", "COPY@-", "RUN@-", "FROM@0", "COPY@1", "USER@1", "ENTRYPOINT@1"},
	}, {
		name:       "multi-stage: a stage built on another continues its history",
		dockerfile: "FROM debian:12 AS base\nRUN apt-get install -y curl\nFROM alpine AS other\nRUN true\nFROM base\nCOPY app /app\n",
		steps:      append(base[:2:2], step{"RUN /bin/sh -c apt-get install -y curl # buildkit", 1}, step{"COPY app /app # buildkit", 2}),
		want:       []string{"FROM@0", "RUN@1", "FROM@-", "RUN@-", "FROM@1", "COPY@2"},
	}, {
		name:       "mismatch: another image's Dockerfile",
		dockerfile: "FROM alpine:3.19\nRUN apk add --no-cache curl\nCOPY site /usr/share/nginx/html\n",
		steps:      append(base[:2:2], step{"RUN /bin/sh -c apt-get install -y curl # buildkit", 1}, step{"COPY app /app # buildkit", 2}),
		want:       []string{"FROM@-", "RUN@-", "COPY@-"},
	}, {
		name:       "FROM scratch",
		dockerfile: "FROM scratch\nCOPY hello /\nCMD [\"/hello\"]\n",
		steps:      []step{{"COPY hello / # buildkit", 0}, {`CMD ["/hello"]`, -1}},
		want:       []string{"FROM@-", "COPY@0", "CMD@0"},
	}, {
		name:       "repeated instructions take the last steps",
		dockerfile: "FROM debian\nUSER app\n",
		steps:      append(base[:2:2], step{"USER app", -1}, step{"RUN /bin/sh -c true # buildkit", 1}, step{"USER app", -1}),
		want:       []string{"FROM@1", "USER@1"},
	}, {
		// BuildKit records RUN's command without its flags (--mount, --network,
		// --security).
		name:       "RUN flags",
		dockerfile: "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --network=default apt-get install -y curl\nRUN --mount=type=secret,id=token <<EOF\ncurl -H @/run/secrets/token https://example.com\nEOF\n",
		steps: append(base[:2:2], step{"RUN /bin/sh -c apt-get install -y curl # buildkit", 1},
			step{"RUN /bin/sh -c curl -H @/run/secrets/token https://example.com # buildkit", 2}),
		want: []string{"FROM@0", "RUN@1", "RUN@2"},
	}, {
		name:       "no history",
		dockerfile: "FROM debian\nRUN true\n",
		want:       []string{"FROM@-", "RUN@-"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Validate(tc.dockerfile); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, attributed(historyInput(tc.dockerfile, tc.steps...))); diff != "" {
				t.Errorf("layers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAttributeNotes: an instruction without a layer says why in the fire.
func TestAttributeNotes(t *testing.T) {
	in := historyInput("FROM golang AS build\nRUN make\nFROM debian\nRUN apk add curl\n",
		step{"/bin/sh -c #(nop) ADD file:abc in / ", 0}, step{"RUN /bin/sh -c apt-get install -y curl # buildkit", 1})
	var got []string
	for _, l := range lines(in) {
		got = append(got, l.Instruction+": "+l.Note)
	}
	want := []string{"FROM: no layer: build stage build is not the final image's", "RUN: no layer: build stage build is not the final image's",
		"FROM: " + noteUnknown, "RUN: " + noteUnknown}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestMatchStep(t *testing.T) {
	tests := []struct {
		df, createdBy string
		want          bool
	}{
		{`RUN ["apt-get", "install", "-y", "curl"]`, "RUN apt-get install -y curl # buildkit", true},
		{"RUN <<EOF\napt-get update\napt-get install -y curl\nEOF", "RUN /bin/sh -c <<EOF apt-get update\napt-get install -y curl\nEOF # buildkit", true},
		{"RUN make", "RUN /bin/sh -c make install # buildkit", false},
		{"COPY --chown=app:app src/ /srv/app/", "COPY src/ /srv/app/ # buildkit", true},
		{"COPY config.yaml config/", "/bin/sh -c #(nop) COPY file:99aa in /etc/app/config/ ", true},
		{"COPY a /x", "COPY a /y # buildkit", false},
		{"ADD https://example.com/a.tgz /tmp/", "ADD https://example.com/a.tgz /tmp/ # buildkit", true},
		{"EXPOSE 53/udp 53", "EXPOSE map[53/tcp:{} 53/udp:{}]", true},
		{"EXPOSE 22", "EXPOSE map[22/tcp:{} 8080/tcp:{}]", false},
		{"EXPOSE 8080 22", "EXPOSE [22/tcp 8080/tcp]", true}, // BuildKit 0.13 and later
		{"WORKDIR src", "WORKDIR /app/src", true},
		{"WORKDIR src", "WORKDIR /app/other", false},
		{"ENV A 1 2", "/bin/sh -c #(nop)  ENV A=1 2", true},
		{`LABEL a="x y" b=2`, "LABEL a=x y b=2", true}, // steps record values unquoted
		{`LABEL "a"=1 b=2`, "LABEL a=1 b=2", true},
		{"ARG V", "ARG V=1", true},
		{"CMD nginx -g 'daemon off;'", `CMD ["/bin/sh" "-c" "nginx -g 'daemon off;'"]`, true},
		{`VOLUME ["/data"]`, "VOLUME [/data]", true},
		{"SHELL [\"/bin/bash\", \"-c\"]", "SHELL [/bin/bash -c]", true},
		{"HEALTHCHECK NONE", `HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" '\x00'}`, true},
		{"USER app", "USER root", false},
		{"WORKDIR /app", "/bin/sh -c #(nop) WORKDIR /app", true},
		{"STOPSIGNAL SIGQUIT", "STOPSIGNAL SIGQUIT", true},
		{"USER app", "", false},
	}
	for _, tc := range tests {
		if got := matchStep(split(tc.df), stepLine(tc.createdBy)); got != tc.want {
			t.Errorf("matchStep(%q, %q) = %v", tc.df, tc.createdBy, got)
		}
	}
	if strings.Contains(fmt.Sprint(ports("map[22/tcp:{}]")), "{}") {
		t.Error("ports kept map punctuation")
	}
}
