import Synchronization

/// A sink that also records what it writes to a second file while asked to (the control panel's record button):
/// recordings start and stop between frames, on the sink's thread, and begin at time zero with the audio that
/// belongs to their frames.
public final class RecordingSink: FrameSink, @unchecked Sendable {
    /// What a recording is.
    public struct Recording: Sendable, Equatable {
        public let path: String
        public var frames = 0
        /// Recording (or about to start at the next frame); false once the file is closed and in place.
        public var active = true
        /// Why it stopped early (an error writing it), if it did.
        public var error: String?
    }

    private enum Request { case start(String), stop }

    private let main: any FrameSink
    private let video: VideoStreamInfo
    private let audio: AudioTrack?
    private let settings: EncoderSettings
    private var recorder: MediaSink?
    private var recorderPath: String?
    private let requests = Mutex<[Request]>([])
    private let status = Mutex<Recording?>(nil)

    /// - Parameters:
    ///   - video, audio, settings: what the recordings are encoded from and with (the job's own).
    public init(wrapping main: any FrameSink, video: VideoStreamInfo, audio: AudioTrack?, settings: EncoderSettings) {
        self.main = main
        self.video = video
        self.audio = audio
        self.settings = settings
    }

    /// Starts recording to `path` from the next frame (ending a recording in progress).
    public func startRecording(to path: String) {
        requests.withLock { $0.append(.start(path)) }
        status.withLock { $0 = Recording(path: path) }
    }

    /// Ends the recording in progress after the current frame (``recording`` turns inactive once its file is
    /// closed and in place).
    public func stopRecording() {
        requests.withLock { $0.append(.stop) }
    }

    /// The recording in progress or the last one.
    public var recording: Recording? { status.withLock { $0 } }

    public var warnings: [String] { main.warnings }

    public func write(_ frame: VideoFrame) throws(StreamError) {
        try main.write(frame)
        for request in requests.withLock({ list in defer { list.removeAll() }; return list }) {
            switch request {
            case .start(let path):
                closeRecording()
                do {
                    var settings = self.settings
                    settings.format = nil
                    let sink = try MediaSink(path, video: video, audio: audio, settings: settings)
                    sink.startTime = frame.time
                    recorder = sink
                    recorderPath = path
                } catch {
                    status.withLock { $0 = Recording(path: path, active: false, error: error.description) }
                }
            case .stop:
                closeRecording()
            }
        }
        guard let recorder else { return }
        do {
            try recorder.write(frame)
            status.withLock { $0?.frames += 1 }
        } catch {
            fail(error)
        }
    }

    public func writeAudio(_ packet: AudioPacket) throws(StreamError) {
        try main.writeAudio(packet)
        guard let recorder else { return }
        do { try recorder.writeAudio(packet.copy()) } catch { fail(error) }
    }

    public func finish(complete: Bool) throws(StreamError) {
        closeRecording()
        try main.finish(complete: complete)
    }

    private func closeRecording() {
        guard let recorder else { return }
        self.recorder = nil
        do {
            try recorder.finish(complete: false)
            // A newer recording may already be announced in `status`: only this one ends.
            status.withLock { if $0?.path == recorderPath { $0?.active = false } }
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: StreamError) {
        status.withLock {
            $0?.error = error.description
            $0?.active = false
        }
        recorder = nil
    }
}
