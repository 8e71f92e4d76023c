package packages

import "testing"

func TestProtectedPaths(t *testing.T) {
	p := &protected{rules: map[string]byte{"etc": '+', "etc/init.d": '@', "etc/apk": '!'}}
	p.parse("# ca-certificates\n-etc/ssl/certs/ca-cert-*.pem\n!etc/ssl/private\n+opt/app/conf/\nusr/local/etc\n")
	tests := map[string]byte{
		"/etc/securetty":                 '+',
		"/etc/init.d/sshd":               '@',
		"/etc/apk/world":                 '!',
		"/etc/ssl/certs/ca-cert-foo.pem": '-',
		"/etc/ssl/private/key":           '!',
		"/opt/app/conf/x.yaml":           '+',
		"/usr/local/etc/a":               '+',
		"/usr/bin/tool":                  0,
	}
	for file, want := range tests {
		if got := p.mode(file); got != want {
			t.Errorf("mode(%s) = %q, want %q", file, got, want)
		}
	}
}

// FuzzProtectedPaths: any list parses, and every path gets a known mode.
func FuzzProtectedPaths(f *testing.F) {
	f.Add("-etc/ssl/certs/*.pem\n!etc/x\n@etc/y\n+z/\n# c\n", "/etc/ssl/certs/a.pem")
	f.Add("[\n*\n", "/a")
	f.Fuzz(func(t *testing.T, list, file string) {
		p := &protected{rules: map[string]byte{}}
		p.parse(list)
		if m := p.mode(file); m != 0 && m != '+' && m != '-' && m != '@' && m != '!' {
			t.Fatalf("mode %q", m)
		}
	})
}
