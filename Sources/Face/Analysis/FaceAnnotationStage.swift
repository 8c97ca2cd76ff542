import Foundation
import Stream

/// Draws what the analysis found — boxes with track IDs, keypoints, the 468 landmarks — and/or writes it as
/// JSON Lines (`facelive detect`).
public final class FaceAnnotationStage: FrameProcessor {
    public let name = "annotate"
    private let draw: Bool
    private let log: ByteWriter?
    private let encoder = JSONEncoder()

    /// - Parameters:
    ///   - draw: draw on the frames (off when only JSON is wanted).
    ///   - log: where JSON Lines go, one object per frame, in frame order.
    public init(draw: Bool, log: ByteWriter?) {
        self.draw = draw
        self.log = log
        encoder.outputFormatting = [.sortedKeys]
    }

    public func process(_ frame: VideoFrame) throws {
        let analysis = frame[attachment: FaceAnalysis.self] ?? FaceAnalysis(faces: [], detected: false)
        let record = FrameFacesRecord(frame: frame.index, pts: frame.time, analysis: analysis)
        if let log { try log.write(try encoder.encode(record) + Data("\n".utf8)) }
        guard draw, !record.faces.isEmpty else { return }
        try frame.modifyImage { image in
            let thickness = max(1, image.height / 360)
            for face in record.faces {
                let (x, y, w, h) = (Int(face.box[0]), Int(face.box[1]), Int(face.box[2]), Int(face.box[3]))
                image.strokeRect(x: x, y: y, width: w, height: h, thickness: thickness, (0, 255, 0))
                image.drawText("#\(face.id) \(String(format: "%.2f", face.score))", x: x, y: max(0, y - 9 * thickness),
                               scale: thickness, (0, 255, 0))
                for p in face.landmarks { image.plot(Int(p[0].rounded()), Int(p[1].rounded()), (255, 255, 0)) }
                for k in face.keypoints {
                    image.fillCircle(x: k[0], y: k[1], radius: Float(2 * thickness), (255, 0, 0))
                }
            }
        }
    }
}
