import Face
import Imaging
import Stream

/// How far a target's own brows reach above FaceMesh's brow landmarks, measured on each frame.
///
/// FaceMesh places the brows where a face's proportions put them; groomed or raised brows can sit well above that
/// (talk_woman_d10: their dark band runs from 2 % to 7 % of the face width above the landmarks' upper edge). The
/// swap's outline is cut across the forehead at a height set from the landmarks, and its feather then ramps up
/// across the target's real brows: their upper half showed above the photo's brows as a second pair
/// (docs/BENCHMARKS.md, "Session 24"). Where the brows rise, the forehead's cut is lifted by as much.
struct TargetBrowRise: Sendable, Equatable {
    /// A dark run counts as the brow only when it starts within this height above the landmarks' upper edge
    /// (share of the face width): higher up it is a crease or the hairline.
    var startsBelow: Float = 0.04
    /// Highest point searched, as a share of the face width.
    var searchTo: Float = 0.12
    /// The forehead skin the brows are compared with: this band above the landmarks' upper edge.
    var forehead: ClosedRange<Float> = 0.14...0.2
    /// Luma below this share of the forehead's is brow...
    var darkness: Float = 0.88
    /// ...where the run is darker than this share somewhere from ``ownEdge`` up: a brow is a dark band there, not
    /// the forehead's shading darkening towards the brows (talk_may_5s: 0.84 at its darkest; headturn_720p_s32
    /// 0.85 above its brows' own edge).
    var depth: Float = 0.8
    /// Height up to which a dark run is the landmarked brow's own top edge, as a share of the face width.
    var ownEdge: Float = 0.02
    /// Rises up to the first bound leave the outline as it is (a brow's own top edge ends about there on most
    /// faces), from the second they lift it in full; smooth between.
    var lifts: ClosedRange<Float> = 0.03...0.05
    /// How far above the brows' top the cut then stands besides, as a share of the face width: the swap's feather
    /// (σ 3.5 %, eroded by σ first) and the blend's reach full weight about there.
    var clearance: Float = 0.12

    /// Step of the search, as a share of the face width.
    static let step: Float = 0.01

    /// The lift for the face with `landmarks` (468, `image` pixels) of width `faceWidth`, as a share of the face
    /// width: the higher brow's rise, 0 where both end near the landmarks.
    func lift(in image: RGBImage, landmarks: [SIMD2<Float>], faceWidth: Float) -> Float {
        guard landmarks.count == FaceMeshTopology.pointCount, faceWidth > 8, lifts.upperBound > lifts.lowerBound
        else { return 0 }
        let up = FaceMeshTopology.browLine(landmarks).up
        let rise = FaceMeshTopology.browUpperEdges.map { self.rise(of: $0.map { landmarks[$0] }, up: up, in: image, faceWidth: faceWidth) }
            .max() ?? 0
        return rise * Ramp(from: lifts.lowerBound, full: lifts.upperBound)(rise)
    }

    /// The top of the dark run above one brow's upper edge (`edge`, image pixels), as a share of the face width;
    /// 0 without one.
    private func rise(of edge: [SIMD2<Float>], up: SIMD2<Float>, in image: RGBImage, faceWidth: Float) -> Float {
        let heights = Int((max(searchTo, forehead.upperBound) / Self.step).rounded())
        let lumas = BrowProfile.luma(along: edge, up: up, heights: (0...heights).map { Float($0) * Self.step * faceWidth },
                                     in: image).map { $0 ?? 0 }
        let band = (Int((forehead.lowerBound / Self.step).rounded())...heights).map { lumas[$0] }.sorted()
        let reference = band[band.count / 2]
        guard reference > 1 else { return 0 }
        let dark = lumas.map { $0 > 0 && $0 < darkness * reference }
        let last = Int((searchTo / Self.step).rounded()), firstStart = Int((startsBelow / Self.step).rounded())
        guard let start = (0...firstStart).first(where: { dark[$0] }) else { return 0 }
        var end = start
        while end + 1 <= last, dark[end + 1] { end += 1 }
        let above = max(start, Int((ownEdge / Self.step).rounded()))
        guard above <= end, (above...end).contains(where: { lumas[$0] < depth * reference }) else { return 0 }
        return Float(end) * Self.step
    }
}
