#ifndef STRATA_CMEMORY_H
#define STRATA_CMEMORY_H

/// Gives the pages of freed heap memory back to the system, in every malloc arena
/// (glibc's malloc_trim); a no-op elsewhere. Returns 1 when memory was released.
int strata_trim_heap(void);

#endif
