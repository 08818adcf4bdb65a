#ifndef STRATA_CMEMORY_H
#define STRATA_CMEMORY_H

/// Gives the pages of freed heap memory back to the system, in every malloc arena
/// (glibc's malloc_trim); a no-op elsewhere. Returns 1 when memory was released.
int strata_trim_heap(void);

/// Sets glibc's malloc up for a short-lived tool whose data outlives its threads: one arena
/// (threads that read layers would otherwise each keep an arena of their own, with the freed
/// space in it still mapped) and large blocks (128 KiB and up) always from mmap, so that freeing
/// one gives its pages back. A no-op elsewhere.
void strata_tune_heap(void);

/// Bytes malloc currently holds in mmap'd blocks (glibc's mallinfo2().hblkhd); 0 elsewhere.
/// For tests and diagnostics.
unsigned long strata_heap_mapped_bytes(void);

#endif
