package cyclonedx

import "testing"

// FuzzDecode: see sample.Codec.FuzzDecode.
func FuzzDecode(f *testing.F) { codec().FuzzDecode(f) }
