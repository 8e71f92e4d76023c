package vex

// Resolve returns the statement that decides a finding: of the statements that
// apply to p, the most recent one (OpenVEX: a later statement supersedes an
// earlier one). Statements are ordered by Timestamp, undated ones counting as
// older than any dated one; among equals the later in statements wins, so
// pass documents in the order given and statements in document order. The
// finding is suppressed only when the returned statement Suppresses; ok is
// false when no statement applies.
func Resolve(statements []Statement, p Product) (st Statement, ok bool) {
	best := -1
	for i := range statements {
		if !statements[i].Applies(p) {
			continue
		}
		if best < 0 || !statements[i].Timestamp.Before(statements[best].Timestamp) {
			best = i
		}
	}
	if best < 0 {
		return Statement{}, false
	}
	return statements[best], true
}
