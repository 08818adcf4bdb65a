#include "CMemory.h"

#if defined(__GLIBC__)
#include <malloc.h>
int strata_trim_heap(void) { return malloc_trim(0); }
#else
int strata_trim_heap(void) { return 0; }
#endif
