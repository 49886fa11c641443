#include "CInterleaveSupport.h"

#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/mman.h>

/// Tables below this size use the heap; above it, whole pages from the kernel.
static const unsigned long mmapThreshold = 64UL * 1024 * 1024 * 1024;

void *interleave_table_allocate(unsigned long bytes) {
  if (bytes < mmapThreshold) {
    return calloc(1, bytes);
  }
  void *address = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return address == MAP_FAILED ? NULL : address;
}

void interleave_table_free(void *address, unsigned long bytes) {
  if (address == NULL) {
    return;
  }
  if (bytes < mmapThreshold) {
    free(address);
  } else {
    munmap(address, bytes);
  }
}

void interleave_release_free_memory(void) {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}
