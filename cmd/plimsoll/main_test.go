package main

import (
	"bytes"
	"context"
	"testing"
)

// run executes plimsoll with args as main would and returns stdout, stderr and the
// exit code.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCommand()
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err := cmd.ExecuteContext(context.Background())
	if err != nil && !isSilent(err) {
		errb.WriteString("plimsoll: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}
