import Imaging
/// Temporal smoothing of one face's 468 landmarks: a One-Euro filter per coordinate in frame space, reset on jumps.
///
/// Positions are filtered in units of the face size measured when the filter (re)starts, so `beta` is in face sizes
/// per second and the same settings suit near and far faces (MediaPipe's "value scale").
public struct LandmarkSmoother: Sendable {
    /// Smoothing settings.
    public struct Options: Sendable, Equatable {
        /// One-Euro settings, `beta` per face size per second. The defaults were chosen on real talking heads
        /// (scripts/measure_tracking.py, docs/BENCHMARKS.md): landmark jitter cut about 2.5× at under one frame of
        /// lag; a lower beta smooths more but lags ~2 frames behind head motion.
        public var filter: OneEuroFilter<SIMD4<Float>>.Parameters
        /// Mean landmark displacement between consecutive frames, as a fraction of the face size, above which the
        /// filter restarts (scene cut, fast motion) instead of lagging behind.
        public var jumpThreshold: Float
        /// A gap between frames longer than this (seconds) also restarts the filter.
        public var maxGap: Double
        /// Smallest cutoff (Hz) of the lip points of a face (``FaceMeshTopology/lips``): lips open and close far
        /// faster, relative to the face, than the head moves, and the face's own cutoff would damp speech (lips
        /// that move less than the target's, kept mouth openings that lag behind the real one).
        public var mouthMinCutoff: Float

        public init(
            filter: OneEuroFilter<SIMD4<Float>>.Parameters = .init(minCutoff: 1, beta: 20, derivativeCutoff: 1),
            jumpThreshold: Float = 0.2, maxGap: Double = 0.5,
            mouthMinCutoff: Float = 8
        ) {
            self.filter = filter
            self.jumpThreshold = jumpThreshold
            self.maxGap = maxGap
            self.mouthMinCutoff = mouthMinCutoff
        }

        /// No smoothing.
        public static let off = Options(filter: .init(isEnabled: false))
    }

    public let options: Options
    private var filters: [OneEuroFilter<SIMD4<Float>>]
    private var previousRaw: [SIMD3<Float>] = []
    private var previousTime = 0.0
    private var unit: Float = 1

    public init(options: Options = Options()) {
        self.options = options
        self.filters = []
    }

    /// Whether the last call to ``smooth(_:at:)`` restarted the filter.
    public private(set) var didReset = false

    /// Forgets the history.
    public mutating func reset() {
        filters = []
        previousRaw = []
    }

    /// Returns `landmarks` smoothed with everything seen so far; `time` in seconds (frame timestamp).
    public mutating func smooth(_ landmarks: FaceLandmarks, at time: Double) -> FaceLandmarks {
        var out = landmarks
        out.points = smooth(points: landmarks.points, at: time)
        return out
    }

    /// Smooths any fixed set of points (a face's 468, a hand's 21) the same way; sizes are the points' extent.
    public mutating func smooth(points: [SIMD3<Float>], at time: Double) -> [SIMD3<Float>] {
        guard options.filter.isEnabled, !points.isEmpty else { return points }
        let size = Self.faceSize(points)
        didReset = filters.count != points.count || time - previousTime > options.maxGap
            || Self.meanDisplacement(previousRaw, points) > options.jumpThreshold * size
        if didReset {
            unit = max(size, 1)
            filters = Array(repeating: OneEuroFilter(parameters: options.filter), count: points.count)
            if points.count == FaceMeshTopology.pointCount {
                var lips = options.filter
                lips.minCutoff = max(lips.minCutoff, options.mouthMinCutoff)
                for i in FaceMeshTopology.lips { filters[i].parameters = lips }
            }
        }
        previousRaw = points
        previousTime = time
        let scale = 1 / unit
        return points.indices.map { i in
            let p = points[i]
            let f = filters[i].filter(SIMD4(p.x, p.y, p.z, 0) * scale, at: time) * unit
            return SIMD3(f.x, f.y, f.z)
        }
    }

    /// The larger side of the landmarks' bounding box.
    static func faceSize(_ points: [SIMD3<Float>]) -> Float {
        let box = BoundingBox(bounding: points.lazy.map { SIMD2($0.x, $0.y) })
        return max(box.width, box.height)
    }

    /// Mean image-plane distance between corresponding points (infinite when the counts differ).
    static func meanDisplacement(_ a: [SIMD3<Float>], _ b: [SIMD3<Float>]) -> Float {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var sum: Float = 0
        for i in a.indices {
            let d = SIMD2(a[i].x - b[i].x, a[i].y - b[i].y)
            sum += (d * d).sum().squareRoot()
        }
        return sum / Float(a.count)
    }
}
