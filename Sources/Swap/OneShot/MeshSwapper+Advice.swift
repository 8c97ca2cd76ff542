import Face

extension MeshSwapper {
    /// The narrowest photo face (face-oval width, photo pixels) the swap enlarges without looking blurred.
    ///
    /// The swap lays the photo's own pixels on the target, whose face is 150–300 pixels wide at 720p. The shipped
    /// photo scaled down to a 32-pixel face came out smeared (no nose, grey blotches on the cheeks), 48 soft, 64 as
    /// sharp as the shipped one at 95 (docs/BENCHMARKS.md, "Session 47").
    public static let sharpPhotoFaceWidth: Float = 64

    /// A warning when the photo's face is too small to look sharp on the target.
    public var advice: [String] {
        let width = FaceMeshTopology.ovalWidth(sourceLandmarks)
        guard width < Self.sharpPhotoFaceWidth else { return [] }
        return ["the photo's face is only \(Int(width.rounded())) pixels wide, so the swap will look blurred; "
                + "use a photo where the face is at least \(Int(Self.sharpPhotoFaceWidth)) pixels wide"]
    }
}
