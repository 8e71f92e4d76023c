package cvss

import "testing"

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, vector string }{
		{"v2", "AV:N/AC:M/Au:N/C:P/I:P/A:P"},
		{"v3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
		{"v4.0", "CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:N/SA:N"},
		{"v4.0-BTE", "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:N/VA:N/SC:H/SI:H/SA:L/E:A/CR:H/IR:X/AR:M/MAV:L/MAC:X/MAT:N/MPR:L/MUI:A/MVC:H/MVI:X/MVA:X/MSC:N/MSI:S/MSA:L"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bc.vector); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
