import CFFmpeg

/// How the C allocator treats the large, short-lived buffers a video pipeline churns through (decoded pictures,
/// RGB frames, encoder planes: megabytes each, allocated and freed on different threads every frame).
public enum HeapPolicy {
    /// Blocks at least this large are mapped from the system and returned to it when freed.
    public static let largeBlockBytes: Int32 = 1 << 20

    /// Makes glibc return large blocks to the system as soon as they are freed. By default it raises its mmap
    /// threshold to the largest block ever freed, after which each thread's arena keeps freed frames for reuse
    /// that rarely fits: at 1080p that held ~20 MB more resident memory for no speed gain (docs/BENCHMARKS.md,
    /// "Memory"). Call once, first thing in the process. A threshold the user set in glibc's own
    /// `MALLOC_MMAP_THRESHOLD_` wins.
    public static func returnLargeBlocksToTheSystem() {
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil else { return }
        _ = mallopt(M_MMAP_THRESHOLD, largeBlockBytes)
    }
}
