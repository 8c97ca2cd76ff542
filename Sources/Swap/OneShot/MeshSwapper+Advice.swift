import Face

extension MeshSwapper {
    /// The narrowest photo face (face-oval width, photo pixels) the swap enlarges without looking blurred.
    ///
    /// The swap lays the photo's own pixels on the target, whose face is 150–300 pixels wide at 720p. The shipped
    /// photo scaled down to a 32-pixel face came out smeared (no nose, grey blotches on the cheeks), 48 soft, 64 as
    /// sharp as the shipped one at 95 (docs/BENCHMARKS.md, "Session 47").
    public static let sharpPhotoFaceWidth: Float = 64

    /// The furthest a photo's face may be turned to the side (|yaw|, degrees) before the swap shows it.
    ///
    /// The swap lays the photo's face on the target's pose; a turned photo's nose is seen from the side. Frames of
    /// headturn_720p_s32 as the photo, on talk_studio_1, talk_may_5s and talk_expressions_d3: turned 15°, 17° and 18°
    /// they looked right; at 23° and 26° a dark crease ran from an inner eye corner across the new nose's bridge
    /// (docs/BENCHMARKS.md, "Session 48"). The shared portraits are turned 0°–9°.
    public static let frontalPhotoYaw: Float = 20

    /// Warnings about the photo: a face too small to look sharp on the target, or turned too far to the side.
    public var advice: [String] {
        var advice: [String] = []
        let width = FaceMeshTopology.ovalWidth(sourceLandmarks)
        if width < Self.sharpPhotoFaceWidth {
            advice.append("the photo's face is only \(Int(width.rounded())) pixels wide, so the swap will look blurred; "
                          + "use a photo where the face is at least \(Int(Self.sharpPhotoFaceWidth)) pixels wide")
        }
        if abs(photoYaw) > Self.frontalPhotoYaw {
            advice.append("the photo's face is turned \(Int(abs(photoYaw).rounded())) degrees to the side, so the new "
                          + "nose may show a crease; use a photo that faces the camera (turned at most "
                          + "\(Int(Self.frontalPhotoYaw)) degrees)")
        }
        return advice
    }
}
