import Face

/// How far a photo's mouth smiles where the target's does not. The relighting keeps the photo's own modelling at
/// mid scales inside the face (``Relighting/interiorScale``), and round a smiling mouth that modelling is the smile:
/// the astronaut's bright cheek beside the mouth's corner came out on talk_may_5s's pursed lips as a pale round patch.
/// The merger takes that share of the photo's mid-scale modelling round the mouth out (``Relighting/smileReach``).
///
/// A face's smile is read from its landmarks: the mouth's width as a share of the face oval's plus its corners' lift
/// above the lips' centre (along the face's up direction) as a share of the mouth's width. The astronaut reads 0.63,
/// the shared portraits 0.30–0.46; the shared clips' talkers 0.30–0.55 on average over their frames.
struct PhotoSmile: Sendable, Equatable {
    /// How the mismatch rises with the photo's smile less the target's (``measure(_:)``): 0 up to `from`, 1 from
    /// `full`.
    var mismatch = Ramp(from: 0.1, full: 0.25)

    /// The smile of a face with these 468 landmarks (0 for another count).
    static func measure(_ points: [SIMD2<Float>]) -> Float {
        guard points.count == FaceMeshTopology.pointCount else { return 0 }
        let corners = (points[FaceMeshTopology.mouthRight], points[FaceMeshTopology.mouthLeft])
        let across = corners.0 - corners.1
        let width = (across * across).sum().squareRoot()
        guard width > 1e-3 else { return 0 }
        let up = FaceMeshTopology.browLine(points).up
        let centre = (points[FaceMeshTopology.upperInnerLip] + points[FaceMeshTopology.lowerInnerLip]) / 2
        let lift = (((corners.0 + corners.1) / 2 - centre) * up).sum() / width
        return width / max(FaceMeshTopology.ovalWidth(points), 1e-3) + lift
    }

    /// 0 (the target smiles as much as the photo, or more) … 1 (the photo smiles and the target does not).
    func mismatch(photo: Float, target points: [SIMD2<Float>]) -> Float {
        mismatch(photo - Self.measure(points))
    }
}
