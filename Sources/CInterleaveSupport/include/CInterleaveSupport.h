#ifndef C_INTERLEAVE_SUPPORT_H
#define C_INTERLEAVE_SUPPORT_H

/// Asks the processor to start loading the cache line at `address` for reading. It never faults,
/// so a stale address is harmless. Swift has no prefetch intrinsic; this inline function gives
/// the model checker's hash probes one.
static inline void interleave_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

/// Allocates `bytes` of zeroed memory for a hash table. Large tables come straight from the
/// kernel (mmap): their pages are zero until touched, and freeing them returns the memory at
/// once, so a table that grows many times does not fragment the heap.
void *interleave_table_allocate(unsigned long bytes);

/// Frees memory from `interleave_table_allocate` of the same size.
void interleave_table_free(void *address, unsigned long bytes);

/// Returns the heap's free pages to the kernel (glibc's malloc_trim); a no-op elsewhere.
void interleave_release_free_memory(void);

#endif
