/// What ``FaceDetection`` found: a face.
public enum DetectedFace {}

/// One face found by the detector, in frame pixels. Its keypoints are BlazeFace's six: right eye, left eye, nose
/// tip, mouth centre, right ear, left ear (the subject's right/left: keypoint 0 is on the image left for a frontal
/// face).
public typealias FaceDetection = Detection<DetectedFace>
