extension FaceLandmarks {
    /// BlazeFace's six keypoints estimated from the mesh (right eye, left eye, nose tip, mouth centre, right ear,
    /// left ear), for frames where the detector did not run.
    public var keypoints: [SIMD2<Float>] {
        let p = points2D
        func mid(_ a: Int, _ b: Int) -> SIMD2<Float> { (p[a] + p[b]) / 2 }
        return [
            mid(FaceMeshTopology.rightEyeOuter, FaceMeshTopology.rightEyeInner),
            mid(FaceMeshTopology.leftEyeOuter, FaceMeshTopology.leftEyeInner),
            p[FaceMeshTopology.noseTip],
            mid(FaceMeshTopology.upperInnerLip, FaceMeshTopology.lowerInnerLip),
            p[FaceMeshTopology.rightCheek],
            p[FaceMeshTopology.leftCheek],
        ]
    }
}
