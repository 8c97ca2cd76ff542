import Dispatch
import Foundation
import Stream

/// A progress line on the terminal, updated in place: frames, fps, elapsed, ETA, drops.
final class ProgressLine: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let pipeline: Pipeline
    private let totalFrames: Int?

    init(pipeline: Pipeline, totalFrames: Int?) {
        self.pipeline = pipeline
        self.totalFrames = totalFrames
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "facelive.progress"))
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
    }

    func stop() {
        timer.cancel()
        Terminal.rewriteLine("")
    }

    private func draw() {
        let p = pipeline.progress
        let fps = p.elapsedSeconds > 0 ? Double(p.framesOut) / p.elapsedSeconds : 0
        var line = "frames \(p.framesOut)"
        if let totalFrames { line += "/\(totalFrames)" }
        line += String(format: "  %.1f fps  elapsed %@", fps, Terminal.formatSeconds(p.elapsedSeconds))
        if let totalFrames, fps > 0 {
            line += "  ETA " + Terminal.formatSeconds(Double(max(0, totalFrames - p.framesOut)) / fps)
        }
        line += "  drops \(p.drops)"
        Terminal.rewriteLine(line)
    }
}
