/// Named indices into the 468-point FaceMesh (MediaPipe's standard topology; right/left = the subject's).
public enum FaceMeshTopology {
    public static let pointCount = 468
    public static let noseTip = 1
    public static let chin = 152
    public static let foreheadTop = 10
    public static let rightEyeOuter = 33
    public static let rightEyeInner = 133
    public static let leftEyeOuter = 263
    public static let leftEyeInner = 362
    public static let mouthRight = 61
    public static let mouthLeft = 291
    public static let upperInnerLip = 13
    public static let lowerInnerLip = 14
    public static let lowerLipBottom = 17
    public static let rightCheek = 234
    public static let leftCheek = 454
    public static let noseBridge = 6

    /// The face outline as an ordered polygon (usable directly as a face mask).
    public static let faceOval: [Int] = [
        176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109, 10, 338, 297, 332, 284, 251, 389,
        356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148,
    ]
    /// Right eye ring (ordered).
    public static let rightEye: [Int] = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]
    /// Left eye ring (ordered).
    public static let leftEye: [Int] = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
}
