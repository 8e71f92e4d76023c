package main

import (
	"errors"
)

// Exit codes, the same for every subcommand.
const (
	exitPass  = 0 // the job ran and nothing failed
	exitFail  = 1 // a policy, gate or --fail-on threshold failed
	exitError = 2 // bad input, unreachable registry, corrupt image, any other error
)

// failure reports that the job ran but its verdict is a failure (exit 1). Its
// message has already been shown in the report, so main prints it only as a summary.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

// errFailed returns an error that maps to exit code 1.
func errFailed(msg string) error { return &failure{msg: msg} }

// silentError wraps an error whose message was already written to stderr.
type silentError struct{ err error }

func (s *silentError) Error() string { return s.err.Error() }
func (s *silentError) Unwrap() error { return s.err }

func isSilent(err error) bool {
	var s *silentError
	return errors.As(err, &s)
}

// exitCode maps an error to the process exit code. It is the only place that does.
func exitCode(err error) int {
	if err == nil {
		return exitPass
	}
	var f *failure
	if errors.As(err, &f) {
		return exitFail
	}
	return exitError
}
