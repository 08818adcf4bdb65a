#include "CBuildInfo.h"

#ifndef STRATA_COMMIT
#define STRATA_COMMIT "unknown"
#endif

const char *strata_build_commit(void) { return STRATA_COMMIT; }
