/// What one pipeline run did and how long each part took.
public struct PipelineReport: Sendable, Codable {
    /// Frames the source delivered.
    public var framesIn: Int
    /// Frames written by the sink.
    public var frames: Int
    /// Frames dropped at ingress (live policy only).
    public var drops: Int
    /// Wall time of the run in seconds.
    public var elapsedSeconds: Double
    /// Frames written per second of wall time.
    public var fps: Double
    /// Frame decoded (or captured) → frame handed to the encoder.
    public var latency: LatencySummary
    /// Time per frame of each stage and sub-stage (decode, convert, …, encode).
    public var stages: [String: TimingSummary]
    /// Process CPU time over wall time, in percent of one core.
    public var cpuPercent: Double
    /// Peak resident memory of the process in MiB.
    public var peakRSSMB: Double
    /// Most frames waiting in any queue at once.
    public var maxQueueDepth: Int
    /// True when the input was read to its end (not cut by a limit, an interruption or an error).
    public var complete: Bool
    /// What stages measured besides time, by stage name (``FrameProcessor/measurements``; stages with none omitted).
    public var measurements: [String: [String: Double]] = [:]

    enum CodingKeys: String, CodingKey {
        case framesIn = "frames_in", frames, drops, elapsedSeconds = "elapsed_s", fps, latency = "latency_ms", stages
        case cpuPercent = "cpu_percent", peakRSSMB = "peak_rss_mb", maxQueueDepth = "max_queue_depth", complete
        case measurements
    }
}

/// End-to-end latency percentiles in milliseconds.
public struct LatencySummary: Sendable, Codable, Equatable {
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double
    public var mean: Double

    init(_ timing: TimingSummary) {
        p50 = timing.p50Ms
        p95 = timing.p95Ms
        p99 = timing.p99Ms
        max = timing.maxMs
        mean = timing.meanMs
    }
}
