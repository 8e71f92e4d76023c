package java

import (
	"archive/zip"
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func read(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type entry struct {
	name, content string
	store         bool // no compression, as nested jars in Spring Boot fat jars are
}

func jar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func commonsLang(t testing.TB) []byte {
	return jar(t,
		entry{name: "META-INF/MANIFEST.MF", content: read(t, "testdata/commons-lang3.MANIFEST.MF")},
		entry{name: "META-INF/maven/org.apache.commons/commons-lang3/pom.properties", content: read(t, "testdata/commons-lang3.pom.properties")},
		entry{name: "org/apache/commons/lang3/StringUtils.class", content: "\xca\xfe\xba\xbe"})
}

// slf4jNoPom is slf4j-api with its manifest but without its maven directory.
func slf4jNoPom(t testing.TB) []byte {
	return jar(t, entry{name: "META-INF/MANIFEST.MF", content: read(t, "testdata/slf4j-api.MANIFEST.MF")})
}

func TestParseManifest(t *testing.T) {
	m := ParseManifest([]byte(read(t, "testdata/commons-lang3.MANIFEST.MF")))
	if m["Implementation-Version"] != "3.12.0" || m["Bundle-SymbolicName"] != "org.apache.commons.lang3" {
		t.Errorf("manifest = %v", m)
	}
	if got := m["Bundle-Description"]; got != "Apache Commons Lang, a package of Java utility classes for the  classes that are in java.lang's hierarchy, or are considered to be sostandard as to justify existence in java.lang." {
		t.Errorf("continuation lines not joined: %q", got)
	}
	g, a, v := ParsePomProperties([]byte(read(t, "testdata/slf4j-api.pom.properties")))
	if g != "org.slf4j" || a != "slf4j-api" || v != "1.7.32" {
		t.Errorf("pom.properties = %q %q %q", g, a, v)
	}
}

func TestArchive(t *testing.T) {
	bomb := jar(t, entry{name: "zeros.bin", content: strings.Repeat("\x00", 8<<20), store: true})
	deep := commonsLang(t)
	for range 4 {
		deep = jar(t, entry{name: "lib/inner.jar", content: string(deep), store: true})
	}
	fat := jar(t,
		entry{name: "META-INF/MANIFEST.MF", content: "Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n"},
		entry{name: "META-INF/maven/com.example/app/pom.properties", content: "groupId=com.example\nartifactId=app\nversion=1.0.0\n"},
		entry{name: "BOOT-INF/lib/commons-lang3-3.12.0.jar", content: string(commonsLang(t)), store: true},
		entry{name: "BOOT-INF/lib/slf4j-api-1.7.32.jar", content: string(slf4jNoPom(t)), store: true},
		entry{name: "BOOT-INF/lib/bomb.jar", content: string(bomb)},
		entry{name: "BOOT-INF/lib/broken.jar", content: "not a zip", store: true},
	)
	guice := jar(t, // Debian's guice.jar: its own manifest, cglib's pom shaded in
		entry{name: "META-INF/MANIFEST.MF", content: "Manifest-Version: 1.0\nBundle-SymbolicName: com.google.inject\nBundle-Version: 4.2.3\n"},
		entry{name: "META-INF/maven/cglib/cglib/pom.properties", content: "groupId=cglib\nartifactId=cglib\nversion=3.3.0\n"})
	tests := []struct {
		name, file string
		content    []byte
		want       []Artifact
		problems   []string
	}{
		{"pom.properties", "commons-lang3.jar", commonsLang(t), []Artifact{{GroupID: "org.apache.commons", ArtifactID: "commons-lang3", Version: "3.12.0", VirtualPath: "commons-lang3.jar", FromPom: true}}, nil},
		{"pom.properties, generic file name", "x.jar", commonsLang(t), []Artifact{{GroupID: "org.apache.commons", ArtifactID: "commons-lang3", Version: "3.12.0", VirtualPath: "x.jar", FromPom: true}}, nil},
		{"manifest only", "slf4j-api.jar", slf4jNoPom(t), []Artifact{{ArtifactID: "slf4j-api", Version: "1.7.32", VirtualPath: "slf4j-api.jar"}}, nil},
		{"version from the file name", "tool-2.0.1.jar", jar(t, entry{name: "a.class"}), []Artifact{{ArtifactID: "tool", Version: "2.0.1", VirtualPath: "tool-2.0.1.jar"}}, nil},
		{"shaded pom", "guice.jar", guice, []Artifact{
			{ArtifactID: "guice", Version: "4.2.3", VirtualPath: "guice.jar"},
			{GroupID: "cglib", ArtifactID: "cglib", Version: "3.3.0", VirtualPath: "guice.jar", FromPom: true},
		}, nil},
		{"fat jar", "x.jar", fat, []Artifact{
			{GroupID: "com.example", ArtifactID: "app", Version: "1.0.0", VirtualPath: "x.jar", FromPom: true},
			{GroupID: "org.apache.commons", ArtifactID: "commons-lang3", Version: "3.12.0", VirtualPath: "x.jar!/BOOT-INF/lib/commons-lang3-3.12.0.jar", FromPom: true},
			{ArtifactID: "slf4j-api", Version: "1.7.32", VirtualPath: "x.jar!/BOOT-INF/lib/slf4j-api-1.7.32.jar"},
		}, []string{"bomb.jar: compression ratio", "broken.jar: not a zip archive"}},
		{"too deep", "x.jar", deep, nil, []string{"nested deeper than 3 archives"}},
		{"not a zip", "x.jar", []byte("PK\x03\x04 truncated"), nil, []string{"x.jar: not a zip archive"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, problems := Archive(tc.file, tc.content, DefaultLimits())
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("artifacts (-want +got):\n%s", diff)
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("problems = %v, want %d", problems, len(tc.problems))
			}
			for i, p := range problems {
				if !strings.Contains(p.Error(), tc.problems[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, p, tc.problems[i])
				}
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	s := catalogtest.Run(t, []catalog.Cataloger{New()},
		[]imagetest.Entry{imagetest.File("usr/share/java/commons-lang3.jar", string(commonsLang(t)))},
		[]imagetest.Entry{imagetest.File("app/lib/slf4j-api-1.7.32.jar", string(slf4jNoPom(t)))},
	)
	want := []catalogtest.Brief{
		{Name: "commons-lang3", Version: "3.12.0", Type: sbom.TypeJavaArchive, PURL: "pkg:maven/org.apache.commons/commons-lang3@3.12.0", Path: "/usr/share/java/commons-lang3.jar"},
		{Name: "slf4j-api", Version: "1.7.32", Type: sbom.TypeJavaArchive, PURL: "pkg:maven/slf4j-api@1.7.32", Path: "/app/lib/slf4j-api-1.7.32.jar", Layer: 1, IntroducedBy: 1},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}
