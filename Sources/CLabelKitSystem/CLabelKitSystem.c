#define _GNU_SOURCE
#include "CLabelKitSystem.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int csystem_tune_malloc(int mmap_threshold) {
    int ok = mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    return ok && mallopt(M_TRIM_THRESHOLD, mmap_threshold);
}

int csystem_trim_memory(void) { return malloc_trim(0); }

int csystem_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}
