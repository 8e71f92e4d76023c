// Package cvss parses CVSS vector strings and computes their scores as the
// FIRST specifications define them, with no dependencies beyond the standard
// library.
//
// Parse recognises four versions:
//
//   - CVSS v2 ("AV:N/AC:L/Au:N/C:P/I:P/A:P", also inside parentheses and
//     behind the "CVSS:2.0/" prefix some feeds write). BaseScore is the v2
//     base equation: Impact, Exploitability and f(Impact), rounded to one
//     decimal. Temporal and environmental metrics are validated and ignored.
//   - CVSS v3.0 and v3.1 ("CVSS:3.1/AV:N/…"). BaseScore is the base equation
//     with scope change; v3.1 uses the specification's floating-point-safe
//     Roundup, v3.0 the plain ceiling to one decimal. Temporal and
//     environmental metrics are validated and ignored.
//   - CVSS v4.0 ("CVSS:4.0/AV:N/…"). The score is the specification's
//     MacroVector method: the six equivalence classes EQ1–EQ6 select a
//     MacroVector, whose expert-assigned score comes from FIRST's lookup
//     table, and the vector's severity distance from the MacroVector's
//     highest-severity vectors interpolates towards the next lower
//     MacroVectors. Threat (E) and environmental metrics (CR/IR/AR and the
//     modified base metrics) take part in the score as the specification
//     says, so BaseScore is CVSS-B for a vector with base metrics only and
//     CVSS-BT, CVSS-BE or CVSS-BTE when those metrics are present
//     (Nomenclature tells which). Supplemental metrics never change it.
//
// Scores are rounded to one decimal, halves upwards. For v4.0 that matches
// FIRST's reference calculator since its 2024-11-01 rounding fix: an
// interpolated score that is exactly x.x5 rounds up even where floating-point
// arithmetic lands it a hair below.
//
// Validation is strict: every mandatory base metric must be present exactly
// once, with a legal value; an unknown or repeated metric is an error naming
// it. Metrics may appear in any order; String writes them in the
// specification's order.
//
// Best picks the vector a finding should be rated by when an advisory carries
// several: v4.0 over v3.1 over v3.0 over v2.
package cvss
