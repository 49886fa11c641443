#include "CInterleaveSupport.h"

#include <stdatomic.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

unsigned long interleave_page_bytes(void) {
  long size = sysconf(_SC_PAGESIZE);
  return size > 0 ? (unsigned long)size : 4096;
}

unsigned long interleave_paged_block_bytes(void) { return 8 * interleave_page_bytes(); }

/// The bytes of the blocks `interleave_block_allocate` mapped and has not unmapped yet.
static _Atomic unsigned long mapped_block_bytes = 0;

static void *block_allocate(unsigned long bytes, int populate) {
  if (bytes < interleave_paged_block_bytes()) {
    return calloc(1, bytes);
  }
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#if defined(MAP_POPULATE)
  if (populate) {
    flags |= MAP_POPULATE;
  }
#endif
  void *address = mmap(NULL, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (address == MAP_FAILED) {
    return NULL;
  }
  atomic_fetch_add_explicit(&mapped_block_bytes, bytes, memory_order_relaxed);
  return address;
}

// Blocks are written whole soon (a table's rehash, a level's states): map every page in one
// call instead of one fault per page.
void *interleave_block_allocate(unsigned long bytes) { return block_allocate(bytes, 1); }

void *interleave_block_allocate_lazily(unsigned long bytes) { return block_allocate(bytes, 0); }

void interleave_block_free(void *address, unsigned long bytes) {
  if (address == NULL) {
    return;
  }
  if (bytes < interleave_paged_block_bytes()) {
    free(address);
  } else {
    munmap(address, bytes);
    atomic_fetch_sub_explicit(&mapped_block_bytes, bytes, memory_order_relaxed);
  }
}

static pthread_once_t heap_blocks_in_arenas = PTHREAD_ONCE_INIT;

static void keep_heap_blocks_in_arenas(void) {
#if defined(__GLIBC__)
  // glibc maps a block above its threshold (128 KiB, raised to the size of each such block
  // freed) with an mmap of its own, and a table that grows by a quarter is always above the
  // threshold its freed predecessor left. 32 MiB is the largest threshold glibc accepts.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
#endif
}

void *interleave_heap_block_allocate(unsigned long bytes) {
  pthread_once(&heap_blocks_in_arenas, keep_heap_blocks_in_arenas);
  return calloc(1, bytes);
}

void interleave_heap_block_free(void *address) { free(address); }

void interleave_release_free_memory(void) {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

unsigned long interleave_allocated_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  // In use in every arena, and in the blocks glibc mapped on their own.
  struct mallinfo2 heap = mallinfo2();
  return heap.uordblks + heap.hblkhd + atomic_load_explicit(&mapped_block_bytes, memory_order_relaxed);
#else
  return 0;
#endif
}

/// The Swift runtime's box projection; a pointer in, a pointer out, the same in the C and the
/// Swift calling conventions.
extern void *swift_projectBox(void *box);

const void *interleave_project_box(const void *box) { return swift_projectBox((void *)box); }
