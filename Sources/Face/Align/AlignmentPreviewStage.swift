import Imaging
import Stream

/// Writes the aligned crop of every analysed face of the first frame that has one, beside the frame
/// (`detect --preview`): what a swapper would be given with this alignment. Frames pass through unchanged.
///
/// Needs the ``FaceAnalysisStage`` before it.
public final class AlignmentPreviewStage: FrameProcessor {
    public let name = "preview"
    private let aligner: FaceAligner
    private let preview: FacePreview
    /// Whether the picture has been written (false at the end: no frame had a face).
    public private(set) var written = false

    public init(alignment: FaceAlignment, preview: FacePreview) {
        aligner = FaceAligner(alignment: alignment)
        self.preview = preview
    }

    public func process(_ frame: VideoFrame) throws {
        guard !written else { return }
        guard let analysis = frame[attachment: FaceAnalysis.self] else { throw AlignmentPreviewError.missingAnalysis }
        let faces = analysis.faces.compactMap { face in face.landmarks.map { (id: face.id, landmarks: $0) } }
        guard !faces.isEmpty else { return }
        let image = try frame.image
        var panels = [(title: "source", image: image)]
        for face in faces {
            let aligned = try aligner.align(image, landmarks: face.landmarks, pose: HeadPose(landmarks: face.landmarks))
            panels.append((faces.count == 1 ? "aligned" : "aligned \(face.id)", aligned.image))
        }
        try preview.write(panels)
        written = true
    }
}

/// Why the alignment preview could not run.
public enum AlignmentPreviewError: Error, Equatable, CustomStringConvertible {
    /// A frame reached the stage without the analysis stage's faces.
    case missingAnalysis

    public var description: String {
        switch self {
        case .missingAnalysis: "the alignment preview needs the face analysis stage before it"
        }
    }
}
