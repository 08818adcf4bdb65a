#ifndef STRATA_BUILD_INFO_H
#define STRATA_BUILD_INFO_H

/// The commit this binary was built from (12 hex digits, "-modified" after them when the work tree
/// had uncommitted changes), or "unknown" for a build that was not told: Package.swift takes it from
/// STRATA_COMMIT, which Scripts/setup.sh and the release scripts set.
const char *strata_build_commit(void);

#endif
