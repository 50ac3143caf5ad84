// LabelKit's C shim over process and thread settings that Swift's Glibc module
// does not import (malloc.h's mallopt, the thread id for a per-thread nice).
#ifndef LABELKIT_CLABELKITSYSTEM_H
#define LABELKIT_CLABELKITSYSTEM_H

/// Makes allocations of at least `mmap_threshold` bytes mapped on their own
/// (unmapped when freed) and trims the heap's top past the same size; glibc
/// then no longer raises its threshold after large frees. Returns 1 on success.
int csystem_tune_malloc(int mmap_threshold);

/// Gives back free heap memory to the system (glibc `malloc_trim(0)`). Returns
/// 1 when some memory was released.
int csystem_trim_memory(void);

/// Sets the niceness of the calling thread only (Linux: `setpriority` on its
/// thread id). Returns 0 on success, -1 with errno set.
int csystem_set_thread_nice(int nice);

#endif
