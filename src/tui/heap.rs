//! How the reader's long-lived process uses glibc's allocator. By default glibc raises its threshold
//! for mapping a large block on its own each time such a block is freed (up to 32 MB), keeps what is
//! freed at the top of a heap up to twice that, and gives each thread that allocates under contention an
//! arena of its own, where what that thread frees stays resident for the next allocation there. The
//! reader's start is a few large passes on different threads (the library from the index, the scan and
//! the record of the reconcile, the first sights of every article), so the freed memory of one pass
//! stayed resident while the next grew elsewhere, and the peak was that sum. Fixed thresholds give
//! every large buffer back when it is freed, two arenas let the threads reuse what the others freed,
//! and [`trim`] returns the free pages inside the heaps after each pass. Elsewhere (musl, other
//! systems) these do nothing.

/// Sets the allocator's thresholds and arena count; called once, before the reader starts its threads
/// (an arena limit holds for arenas made after it).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters, under the allocator's own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives the free pages of every arena back to the system, after a pass that freed much.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes the arenas' locks itself and frees only memory no block holds.
    unsafe {
        libc::malloc_trim(0);
    }
}
