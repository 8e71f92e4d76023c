// Package match decides which advisories affect which packages. Evaluate applies
// OSV's range semantics (introduced, fixed, last_affected, limit, explicit
// versions; ECOSYSTEM and SEMVER ranges; GIT ranges ignored) under the version
// scheme of the package's ecosystem, and records the evidence that decided it.
package match
