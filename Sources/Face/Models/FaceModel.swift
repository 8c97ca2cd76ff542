/// The face networks facelive ships (MediaPipe, Apache-2.0; see `Resources/models/NOTICE`).
public enum FaceModel: String, CaseIterable, Sendable {
    /// BlazeFace short range, 128² input: near faces (webcam, selfie).
    case shortRangeDetector = "face_detection_short_range"
    /// BlazeFace full range (dense), 192² input: small and distant faces too.
    case fullRangeDetector = "face_detection_full_range"
    /// FaceMesh, 468 3-D landmarks from a 192² face crop.
    case landmarks = "face_landmark"

    /// The model's file name.
    public var fileName: String { rawValue + ".tflite" }
}
