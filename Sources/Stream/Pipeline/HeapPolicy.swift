import CFFmpeg

/// How the C allocator treats the large, short-lived buffers a video pipeline churns through (decoded pictures,
/// RGB frames, encoder planes: megabytes each, allocated on one thread and freed on another every frame).
public enum HeapPolicy {
    /// Arenas glibc may keep. By default it keeps up to eight per core, and each holds on to the frames freed
    /// into it; two is enough for two cores' worth of threads and reuses what was freed.
    public static let arenas: Int32 = 2

    /// Blocks at least this large are mapped from the system and returned when freed. glibc's default grows
    /// towards this; fixing it keeps any picture up to 4K in the arenas, where it is reused without page faults.
    public static let largeBlockBytes: Int32 = 32 << 20

    /// Free memory at the top of the heap glibc keeps rather than returning it. Fixing the block threshold above
    /// also fixes this one at its 128 KB default, and a merge's masks and images (hundreds of KB each, freed at
    /// the top) were given back and faulted in again every frame: the merge took 8.9 ms instead of 6.6 per 720p
    /// face (`swap-bench`, docs/BENCHMARKS.md, "Session 18").
    public static let keptTopBytes: Int32 = 64 << 20

    /// Call once, first thing in the process. Measured at 1080p with hands (crowd clip, docs/BENCHMARKS.md,
    /// "Memory"): 324 → 303–306 MB peak with no loss of speed; returning every block ≥ 1 MB to the system
    /// instead saved 6 MB more but cost 15 % of the 720p frame rate in page faults. Settings the user gave
    /// glibc in its own environment variables win.
    public static func configure() {
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(M_ARENA_MAX, arenas) }
        if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(M_MMAP_THRESHOLD, largeBlockBytes) }
        if getenv("MALLOC_TRIM_THRESHOLD_") == nil { _ = mallopt(M_TRIM_THRESHOLD, keptTopBytes) }
    }
}
