#ifndef C_INTERLEAVE_SUPPORT_H
#define C_INTERLEAVE_SUPPORT_H

/// Asks the processor to start loading the cache line at `address` for reading. It never faults,
/// so a stale address is harmless. Swift has no prefetch intrinsic; this inline function gives
/// the model checker's hash probes one.
static inline void interleave_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

/// Allocates `bytes` of zeroed memory for a hash table or a chunk of states. Blocks of eight
/// pages or more come straight from the kernel (mmap, every page mapped at once), and should be a
/// whole number of pages: freeing them returns the memory at once, so tables that grow many
/// times, and levels that shrink, do not leave free blocks in the heap. Smaller blocks use the
/// heap: for them the system calls cost more time than the heap's free blocks cost memory.
void *interleave_block_allocate(unsigned long bytes);

/// Allocates like `interleave_block_allocate`, but large blocks get their pages as they are first
/// written, not at once: for a block that may stay mostly unused (the first chunk of a search's
/// states, which holds the whole state space of a small spec).
void *interleave_block_allocate_lazily(unsigned long bytes);

/// Frees memory from `interleave_block_allocate` or `interleave_block_allocate_lazily` of the same
/// size.
void interleave_block_free(void *address, unsigned long bytes);

/// Allocates `bytes` of zeroed memory from the heap's arenas, whatever the size. Many threads
/// growing tables at the same time are faster this way than with `interleave_block_allocate`: on
/// 16 cores, mapping fresh pages for each table took about a fifth of the search's time. The
/// first call sets glibc's mmap threshold to 32 MiB (`mallopt(M_MMAP_THRESHOLD)`, for the whole
/// process and for good), else glibc would map every growing table on its own.
void *interleave_heap_block_allocate(unsigned long bytes);

/// Frees memory from `interleave_heap_block_allocate`.
void interleave_heap_block_free(void *address);

/// The page size, to which large blocks round their size (`interleave_block_allocate`).
unsigned long interleave_page_bytes(void);

/// The size from which blocks come straight from the kernel: eight pages.
unsigned long interleave_paged_block_bytes(void);

/// Returns the heap's free pages to the kernel (glibc's malloc_trim); a no-op elsewhere.
void interleave_release_free_memory(void);

/// The bytes the process has allocated and not freed: the heap's blocks in use in every arena
/// (glibc's `mallinfo2`), and the blocks `interleave_block_allocate` mapped; 0 where glibc's
/// figures are not available. It counts what the search's own figures cannot: the heap memory
/// that states hold (arrays, sets, strings inside them).
unsigned long interleave_allocated_bytes(void);

#include "ValueWitnesses.h"

#endif
