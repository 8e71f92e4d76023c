package always_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/always"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
)

func TestAlways(t *testing.T) {
	got := gatetest.IDs(gatetest.Run(t, always.New(), "always", nil, &gate.Input{}))
	if diff := cmp.Diff([]string{"always@-"}, got); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
}
