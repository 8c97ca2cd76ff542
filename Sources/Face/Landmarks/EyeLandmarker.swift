import Foundation
import Imaging
import Neural
import Stream

/// MediaPipe's iris landmark network, used for what FaceMesh's own eye points get wrong: the lids (and the creases
/// above them).
///
/// FaceMesh keeps an eye's outline nearly open through a blink (talk_studio_4 frame 88: 0.31 of the eye's width
/// open on both closed eyes; the iris network gives 0.03), so anything cut along the lids — a kept eye opening,
/// the mesh swap's lids — kept an open-eye shape over a closed eye. This network sees one eye at a time (a left
/// eye; the other is fed mirrored) in a square crop 2.3 × the corner distance wide, levelled on the corners, and
/// returns 71 points: the lids first, then rings around them (the second above the upper lid at its crease) and the
/// brow.
///
/// Owns its executor's buffers: one per thread.
public final class EyeLandmarker {
    /// Crop side in pixels.
    public static let inputSize = 64
    /// Crop side over the distance between the eye's corners (MediaPipe's iris ROI).
    public static let cropScale: Float = 2.3
    /// Points the network gives per eye.
    static let pointCount = 71

    /// An eye as the network sees it: its corners in FaceMesh (outer, inner), whether its crop is mirrored, the
    /// FaceMesh points of the network's first 16 (lower lid corner to corner, then the upper lid between them) and
    /// of its points 25–31 (the upper lid's second ring, at the crease, outer to inner).
    struct Eye {
        let outer: Int, inner: Int
        let mirrored: Bool
        let lids: [Int]
        let crease: [Int]
    }

    /// The subject's right eye (on the image's left) is the network's own side; the left one is mirrored.
    static let eyes = [
        Eye(outer: FaceMeshTopology.rightEyeOuter, inner: FaceMeshTopology.rightEyeInner, mirrored: false,
            lids: [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173],
            crease: FaceMeshTopology.rightEyeUpperCrease.reversed()),
        Eye(outer: FaceMeshTopology.leftEyeOuter, inner: FaceMeshTopology.leftEyeInner, mirrored: true,
            lids: [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398],
            crease: FaceMeshTopology.leftEyeUpperCrease.reversed()),
    ]
    /// Index of the network's first crease point.
    static let firstCrease = 25

    private let network: LandmarkNetwork

    /// Loads the iris model found by `locator`.
    public convenience init(locator: ModelLocator = ModelLocator()) throws {
        try self.init(graph: try locator.graph(for: .eyeLandmarks))
    }

    /// Uses an already loaded iris graph.
    public init(graph: Graph) throws {
        let s = Self.inputSize
        let n = Self.pointCount
        let expected = "the iris model expects input [1×\(s)×\(s)×3] and an output of \(n) × 3 values; model has \(graph.inputShapes) → \(graph.outputShapes)"
        guard let contour = graph.outputShapes.firstIndex(where: { $0.count == n * 3 }) else {
            throw IncompatibleModel(description: expected)
        }
        network = try LandmarkNetwork(graph: graph, inputSize: s, pointsOutput: contour, pointCount: n, describe: expected)
    }

    /// The crop the network sees for the eye with corners `outer` and `inner` (frame pixels): centred between
    /// them, levelled on the line from the outer corner to the inner one for the right eye (from the inner to the
    /// outer one for the left eye, which is then mirrored: both read outer → inner after the flip).
    static func roi(outer: SIMD2<Float>, inner: SIMD2<Float>, mirrored: Bool) -> FaceROI {
        let d = inner - outer
        let width = (d * d).sum().squareRoot()
        let rotation = mirrored ? FaceROI.angle(from: inner, to: outer) : FaceROI.angle(from: outer, to: inner)
        return FaceROI(center: (outer + inner) / 2, side: cropScale * width, rotation: rotation)
    }

    /// The network's ``pointCount`` points for the eye with corners `outer` and `inner`, in frame pixels: the lids first (lower
    /// lid corner to corner, then the upper lid), then the rings round them and the brow.
    func contours(in image: RGBImage, outer: SIMD2<Float>, inner: SIMD2<Float>, mirrored: Bool) -> [SIMD2<Float>]? {
        let roi = Self.roi(outer: outer, inner: inner, mirrored: mirrored)
        guard roi.side >= 2 else { return nil }
        return network.run(image, roi, mirrored: mirrored).map { SIMD2($0.x, $0.y) }
    }

    /// `landmarks` with both eyes' lids (the 14 points between the corners) and upper creases (7 points) from the
    /// iris network: the band between them is what the merger keeps of a target's upper lashes, so both come from
    /// the same network. The corners stay FaceMesh's (the head's rotation, alignment and the photo's eye placement
    /// are built on them), and so does every point's depth.
    public func refine(_ landmarks: FaceLandmarks, in image: RGBImage) -> FaceLandmarks {
        guard landmarks.points.count == FaceMeshTopology.pointCount else { return landmarks }
        var out = landmarks
        let points2D = landmarks.points2D
        for eye in Self.eyes {
            guard let points = contours(in: image, outer: points2D[eye.outer], inner: points2D[eye.inner],
                                        mirrored: eye.mirrored) else { continue }
            let refined = zip(eye.lids, points).filter { $0.0 != eye.outer && $0.0 != eye.inner }
                + zip(eye.crease, points[Self.firstCrease...])
            for (index, p) in refined {
                out.points[index].x = p.x
                out.points[index].y = p.y
            }
        }
        return out
    }
}
