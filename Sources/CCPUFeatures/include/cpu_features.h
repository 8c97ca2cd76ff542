#pragma once

/// The `-target-cpu` the Swift kernels were compiled for (e.g. "haswell").
const char *facelive_target_cpu(void);

/// NULL when this CPU runs code built for facelive_target_cpu(); otherwise a static one-line message naming the
/// missing instruction-set extensions. Compiled for the baseline CPU so it is safe to call first thing.
const char *facelive_cpu_check(void);

/// A spin-wait hint (x86 `pause`): a thread polling a flag yields the core's pipeline while it waits.
static inline void facelive_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
