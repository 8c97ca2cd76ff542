import Foundation
import Face
import Imaging
import Stream

/// The rims of glasses already detected, fitted round each eye on the thin-line contrast (``LineContrast``) instead
/// of the thresholded lines: faint clear frames, which the threshold breaks into specks, are still continuous there.
///
/// A loop is four quarter-ellipses round a centre a little above or below the eye's: its reach along the eye line
/// towards the nose and away from it, and across it upwards and downwards, each free. A rim is rarely centred on the
/// eye (the frame sits wider or narrower, lower or higher), and a single ellipse shifted to fit three sides of it
/// misses the fourth, where lids, creases and brows then win. Both lenses are fitted as one pair: the same reach up
/// and down and the same shift (glasses are mirror images and move as one), each side's reach along its own (a
/// turned head shifts the frame sideways against the eyes). Every loop clears its eye's corners, upper crease and
/// lower lid (a rim never runs through an eye seen through it). Each quarter is scored by the mean square root of the held line strength
/// along it, so a rim seen all round, if faintly, beats a few strong pieces of lid, crease and brow.
///
/// The best pair is then snapped to the line within two pixels per direction and smoothed. The strength found along
/// each loop says where the frame is seen: ``bands(width:height:axis:halfWidth:)`` keeps the rim only there, so no
/// ring of skin is painted where it does not show (under the brows, behind a hand).
struct RimFit {
    /// The stretch of the eye band resampled (eye distances along and across the eye line).
    static let band = (along: Float(-1.1)...1.1, across: Float(-0.75)...0.7)
    static let angles = 72
    /// The loops' reach tried (eye distances): along the eye line per side, across it per half.
    static let alongRange: StrideThrough<Float> = stride(from: 0.16, through: 0.4, by: 0.02)
    static let acrossRange: StrideThrough<Float> = stride(from: 0.14, through: 0.36, by: 0.02)
    /// The loops' shift from the eyes' centres across the eye line (eye distances, both ways).
    static let shifts: [Float] = [-0.06, -0.03, 0, 0.03, 0.06]
    /// How far the loop stays from the eye (eye distances): past its corners, above the upper lid's crease, below
    /// the lower lid (its lashes and the lid line are no rim).
    static let cornerClearance: Float = 0.03
    static let creaseClearance: Float = 0.04
    static let lidClearance: Float = 0.15
    /// How far (pixels) a loop may pass from a line and still count it: the loops tried are 1.7 px apart.
    static let nearReach = 2
    /// How far (pixels) the fitted loop is snapped to the strongest line, per direction.
    static let snapReach = 2
    /// Line strength along the loop (0…1, smoothed over five directions) from which nothing, and up to which all of
    /// the rim band is kept.
    static let keptFrom: Float = 0.15
    static let keptFully: Float = 0.45
    /// Mean kept weight along a loop from which it bounds the lens (``isSeen(_:)``).
    static let minimumSeen: Float = 0.25
    /// Share of a new fit taken on each frame (``following(_:)``): fitted afresh, a rim moves by a pixel or so from
    /// frame to frame, which reads as shimmer.
    static let followRate: Float = 0.5
    /// Change of a loop (its centre's move plus the mean change of its distances, eye distances) from which a new fit
    /// replaces the last one outright.
    static let resetChange: Float = 0.04

    struct Loop {
        /// Centre (eye distances, ``EyeAxis/coordinates(of:)``), and per direction the rim's distance from it (eye
        /// distances) and the line strength there (0…1).
        let centre: SIMD2<Float>
        let radii: [Float]
        let strength: [Float]
    }

    /// The right eye's loop, then the left one's.
    let loops: [Loop]
    /// The loops tried, built once.
    static let search = Search()

    /// The rims round the eyes of the face with `points` (468, swap space) in `image`; nil without a usable eye line
    /// or on a face too small for faint lines to be a frame's (``LowerRims/minimumEyeDistance`` frame pixels between
    /// the eyes; `framePixel`: swap pixels per frame pixel).
    init?(in image: RGBImage, points: [SIMD2<Float>], framePixel: Float = 0) {
        guard let axis = EyeAxis(points), axis.d >= LowerRims.minimumEyeDistance * framePixel else { return nil }
        self.init(in: image, points: points, axis: axis)
    }

    init?(in image: RGBImage, points: [SIMD2<Float>], axis: EyeAxis) {
        guard points.count == FaceMeshTopology.pointCount else { return nil }
        let lines = LineContrast(image: image, axis: axis, along: Self.band.along, across: Self.band.across)
        let eyes = GlassesDetector.eyeRings.map { ring, crease in
            Eye(ring.map { axis.coordinates(of: points[$0]) }, crease: crease.map { axis.coordinates(of: points[$0]) })
        }
        let search = Self.search
        guard let best = search.bestPair(round: eyes, on: lines) else { return nil }
        loops = eyes.indices.map { e in
            search.loop(best, eye: e, held: best.held[e], centre: eyes[e].centre + SIMD2(0, Self.shifts[best.shift]))
        }
    }

    init(loops: [Loop]) {
        self.loops = loops
    }

    /// `current` followed from this fit: each loop moved ``followRate`` of the way from the last one, or taken as it
    /// is where the two differ by more than ``resetChange`` (another pair of glasses, or the last fit was wrong). The loops
    /// live in eye distances round the eyes, so the head's own motion does not move them.
    func following(_ current: RimFit) -> RimFit {
        guard loops.count == current.loops.count else { return current }
        let rate = Self.followRate
        return RimFit(loops: zip(loops, current.loops).map { last, new in
            let moved = ((new.centre - last.centre) * (new.centre - last.centre)).sum().squareRoot()
            let change = moved + zip(last.radii, new.radii).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(max(new.radii.count, 1))
            guard change <= Self.resetChange, last.radii.count == new.radii.count else { return new }
            func mix(_ a: [Float], _ b: [Float]) -> [Float] { zip(a, b).map { $0 + rate * ($1 - $0) } }
            return Loop(centre: last.centre + rate * (new.centre - last.centre), radii: mix(last.radii, new.radii),
                        strength: mix(last.strength, new.strength))
        })
    }

    /// An eye in eye distances: its centre, how far it reaches each way along the eye line (towards −s, +s), and how
    /// far its lower lid and upper crease reach from the centre.
    struct Eye {
        let centre: SIMD2<Float>
        let reach: [Float]
        let below: Float, above: Float

        init(_ ring: [SIMD2<Float>], crease: [SIMD2<Float>]) {
            let centre = ring.reduce(SIMD2<Float>.zero, +) / Float(ring.count)
            self.centre = centre
            reach = [centre.x - (ring.map(\.x).min() ?? centre.x), (ring.map(\.x).max() ?? centre.x) - centre.x]
            below = (ring.map(\.y).max() ?? centre.y) - centre.y
            above = centre.y - (crease.map(\.y).min() ?? centre.y)
        }
    }

    /// The loops tried, and the held strength round a centre.
    struct Search {
        let alongs = Array(RimFit.alongRange), acrosses = Array(RimFit.acrossRange)
        /// Unit direction per angle (eye-line axes: x along it, y across it, downwards).
        let directions: [SIMD2<Float>]
        let upper: [Bool]
        /// Distances sampled per direction (pixels).
        let count: Int
        /// The directions of each quarter: (−s, lower), (−s, upper), (+s, lower), (+s, upper).
        let quarters: [[Int]]
        /// The distance (pixels) of each loop tried per direction, for each reach along × across: the same round
        /// every eye and shift.
        let ringRadius: [Int]

        init() {
            let directions = (0..<RimFit.angles).map { RimFit.direction($0) }
            // By index, not by the sign of a cosine near 0: the four quarters hold the same number of directions,
            // mirrored across the vertical.
            let k = RimFit.angles
            let upper = directions.indices.map { $0 >= k / 2 }
            let positive = directions.indices.map { $0 < k / 4 || $0 >= 3 * k / 4 }
            let count = Int(0.5 * LineContrast.pixelsPerEye) + 3
            (self.directions, self.upper, self.count) = (directions, upper, count)
            quarters = [false, true].flatMap { side in
                [false, true].map { isUpper in directions.indices.filter { upper[$0] == isUpper && positive[$0] == side } }
            }
            ringRadius = RimFit.alongRange.flatMap { along in
                RimFit.acrossRange.flatMap { across in directions.map { Self.radius(of: $0, along: along, across: across, count: count) } }
            }
        }

        /// Distance (pixels, within the sampled range) of the quarter-ellipse with reach `along` × `across` in
        /// `direction`.
        static func radius(of direction: SIMD2<Float>, along: Float, across: Float, count: Int) -> Int {
            let (c, s) = (direction.x / along, direction.y / across)
            return min(count - 1, Int((LineContrast.pixelsPerEye / (c * c + s * s).squareRoot()).rounded()))
        }

        /// Held line strength (0…1) per direction and distance (pixels) round `centre` (eye distances).
        func held(round centre: SIMD2<Float>, on lines: LineContrast) -> [Float] {
            let origin = lines.pixel(centre)
            return lines.withHeld { held in
                var map = [Float](repeating: 0, count: RimFit.angles * count)
                for (i, direction) in directions.enumerated() {
                    for r in 0..<count { map[i * count + r] = held(origin + Float(r) * direction, direction) }
                }
                return map
            }
        }

        /// A pair of loops: the shift, reach up and down (indices into ``RimFit/shifts`` and `acrosses`), each
        /// eye's reach along per side (indices into `alongs`), and the held strength round each shifted centre.
        struct Pair {
            var score: Float, shift: Int, up: Int, down: Int, along: [[Int]]
            var held: [[Float]] = []
        }

        /// The best-scoring pair of loops round `eyes`.
        func bestPair(round eyes: [Eye], on lines: LineContrast) -> Pair? {
            var best: Pair?
            for (shiftIndex, shift) in RimFit.shifts.enumerated() {
                let helds = eyes.map { held(round: $0.centre + SIMD2(0, shift), on: lines) }
                let scores = helds.flatMap(quarterScores)
                let leastUp = eyes.map { $0.above + shift + RimFit.creaseClearance }.max()!
                let leastDown = eyes.map { $0.below - shift + RimFit.lidClearance }.max()!
                for (up, across) in acrosses.enumerated() where across >= leastUp {
                    for (down, across) in acrosses.enumerated() where across >= leastDown {
                        var total: Float = 0, chosen = [[Int]]()
                        for (e, eye) in eyes.enumerated() {
                            // Each side takes its best reach along, over its lower and upper quarter.
                            chosen.append((0..<2).map { side in
                                let (lower, upper) = (scores[4 * e + 2 * side], scores[4 * e + 2 * side + 1])
                                var pick = (score: -Float.infinity, index: -1)
                                for (a, along) in alongs.enumerated() where along >= eye.reach[side] + RimFit.cornerClearance {
                                    let v = lower[a * acrosses.count + down] + upper[a * acrosses.count + up]
                                    if v > pick.score { pick = (v, a) }
                                }
                                total += pick.score
                                return pick.index
                            })
                        }
                        if total > (best?.score ?? -.infinity), chosen.allSatisfy({ !$0.contains(-1) }) {
                            best = Pair(score: total, shift: shiftIndex, up: up, down: down, along: chosen)
                        }
                    }
                }
                if best?.shift == shiftIndex { best?.held = helds }
            }
            return best
        }

        /// Per quarter (``quarters``), the mean √held (within ``nearReach``) along it for each reach along × across
        /// (index `along × acrosses.count + across`): a rim seen all round, if faintly, beats a few strong pieces.
        private func quarterScores(_ held: [Float]) -> [[Float]] {
            let near = nearRoots(held)
            return quarters.map { quarter in
                let size = Float(max(quarter.count, 1))
                return (0..<(alongs.count * acrosses.count)).map { k in
                    quarter.reduce(0) { $0 + near[$1 * count + ringRadius[k * RimFit.angles + $1]] } / size
                }
            }
        }

        /// √ of the strongest held strength within ``nearReach`` of each distance.
        private func nearRoots(_ held: [Float]) -> [Float] {
            var near = held
            for i in 0..<RimFit.angles {
                for r in 0..<count {
                    var v: Float = 0
                    for q in max(0, r - RimFit.nearReach)...min(count - 1, r + RimFit.nearReach) { v = max(v, held[i * count + q]) }
                    near[i * count + r] = v.squareRoot()
                }
            }
            return near
        }

        /// Eye `e`'s loop of `pair` round `centre`, snapped to the strongest line within ``snapReach`` per
        /// direction, then a median over five directions; its strength is the held strength there, averaged over
        /// five directions.
        func loop(_ pair: Pair, eye e: Int, held: [Float], centre: SIMD2<Float>) -> Loop {
            let k = RimFit.angles
            let snapped = (0..<k).map { i -> Int in
                let along = alongs[pair.along[e][directions[i].x >= 0 ? 1 : 0]]
                let r = Self.radius(of: directions[i], along: along, across: acrosses[upper[i] ? pair.up : pair.down],
                                    count: count)
                // Ties (no line at all) go to the innermost distance: there the band tucks inside the fitted loop,
                // off a brow's lower edge (tied to the fitted distance instead, man_glasses' flicker ratio rose
                // 1.00 → 1.06 and its details lost 0.15 → 0.18).
                let range = max(0, r - RimFit.snapReach)...min(count - 1, r + RimFit.snapReach)
                return range.max { held[i * count + $0] < held[i * count + $1] } ?? r
            }
            let median = (0..<k).map { i in (-2...2).map { snapped[(i + $0 + k) % k] }.sorted()[2] }
            let raw = (0..<k).map { held[$0 * count + median[$0]] }
            return Loop(centre: centre, radii: median.map { Float($0) / LineContrast.pixelsPerEye },
                        strength: (0..<k).map { i in (-2...2).map { raw[(i + $0 + k) % k] }.reduce(0, +) / 5 })
        }
    }

    /// Unit direction `i` round a loop (eye-line axes): at half steps, so none lies on an axis.
    static func direction(_ i: Int) -> SIMD2<Float> {
        let angle = 2 * Float.pi * (Float(i) + 0.5) / Float(angles)
        return SIMD2(cos(angle), sin(angle))
    }

    /// Loop `e` moved `offset` pixels outwards (inwards when negative), as a polygon in swap space.
    func outline(_ e: Int, offset: Float, axis: EyeAxis) -> [SIMD2<Float>] {
        let loop = loops[e]
        return loop.radii.indices.map { i in
            let p = loop.centre + max(0, loop.radii[i] + offset / axis.d) * Self.direction(i)
            return axis.point(p.x, p.y)
        }
    }

    /// Whether a line was seen along loop `e` on at least ``minimumSeen`` of it (by the kept bands' weight): only
    /// then does the loop bound the lens.
    func isSeen(_ e: Int) -> Bool {
        let weights = loops[e].strength.map(Self.keptWeight)
        return weights.reduce(0, +) >= Self.minimumSeen * Float(max(weights.count, 1))
    }

    /// The kept band's weight (0…1) for a line strength along a loop.
    static func keptWeight(_ strength: Float) -> Float {
        min(1, max(0, (strength - keptFrom) / (keptFully - keptFrom)))
    }

    /// The rims as bands of ± `halfWidth` pixels (swap space, 0…1), each direction weighted by the line strength
    /// found there.
    func bands(width: Int, height: Int, axis: EyeAxis, halfWidth: Float) -> AlphaMask {
        var mask = AlphaMask(width: width, height: height)
        let k = Float(Self.angles) / (2 * Float.pi)
        for (e, loop) in loops.enumerated() {
            let weight = loop.strength.map(Self.keptWeight)
            guard weight.contains(where: { $0 > 0 }) else { continue }
            let box = BoundingBox(bounding: outline(e, offset: halfWidth + 1, axis: axis))
            guard let pixels = box.pixelRanges(width: width, height: height) else { continue }
            for y in pixels.y {
                for x in pixels.x {
                    let q = axis.coordinates(of: SIMD2(Float(x), Float(y))) - loop.centre
                    // Directions sit at half steps (``direction(_:)``).
                    var a = atan2(q.y, q.x) * k - 0.5
                    if a < 0 { a += Float(Self.angles) }
                    let i = Int(a) % Self.angles, j = (i + 1) % Self.angles, f = a - a.rounded(.down)
                    let radius = loop.radii[i] + f * (loop.radii[j] - loop.radii[i])
                    let off = abs((q * q).sum().squareRoot() - radius) * axis.d
                    // Full within the half-width, a pixel's ramp at its edge.
                    let profile = min(1, max(0, halfWidth + 0.5 - off))
                    guard profile > 0 else { continue }
                    let v = profile * (weight[i] + f * (weight[j] - weight[i]))
                    mask.values[y * width + x] = max(mask.values[y * width + x], v)
                }
            }
        }
        return mask
    }
}
