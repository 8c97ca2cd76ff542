/// The face and hand networks facelive ships (MediaPipe, Apache-2.0; see `Resources/models/NOTICE`).
public enum FaceModel: String, CaseIterable, Sendable {
    /// BlazeFace short range, 128² input: near faces (webcam, selfie).
    case shortRangeDetector = "face_detection_short_range"
    /// BlazeFace full range (dense), 192² input: small and distant faces too.
    case fullRangeDetector = "face_detection_full_range"
    /// FaceMesh, 468 3-D landmarks from a 192² face crop.
    case landmarks = "face_landmark"
    /// MediaPipe palm detector (lite), 192² input: palms with seven keypoints, for hand tracking.
    case palmDetector = "palm_detection_lite"
    /// MediaPipe hand landmarks (lite), 21 3-D points, presence and handedness from a 224² hand crop.
    case handLandmarks = "hand_landmark_lite"
    /// MediaPipe iris landmarks: 71 eye-contour and brow points and 5 iris points from a 64² crop of one (left) eye;
    /// its lids follow blinks that FaceMesh's own eye points miss.
    case eyeLandmarks = "iris_landmark"

    /// The model's file name.
    public var fileName: String { rawValue + ".tflite" }
}
