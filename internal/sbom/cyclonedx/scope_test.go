package cyclonedx

import "testing"

// TestRoundTripAllLayers: see sample.Codec.TestAllLayers.
func TestRoundTripAllLayers(t *testing.T) { codec().TestAllLayers(t) }
