#include "CMemory.h"

#include <stdlib.h> // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
int strata_trim_heap(void) { return malloc_trim(0); }
void strata_tune_heap(void) {
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}
unsigned long strata_heap_mapped_bytes(void) { return (unsigned long)mallinfo2().hblkhd; }
#else
unsigned long strata_heap_mapped_bytes(void) { return 0; }
void strata_tune_heap(void) {}
int strata_trim_heap(void) { return 0; }
#endif
