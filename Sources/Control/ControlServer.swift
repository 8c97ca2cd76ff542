import Dispatch
import Foundation
import Hummingbird
import Logging
import Stream
import Swap
import Synchronization

/// The live control panel's HTTP server (`run --control`): serves the page and the JSON API on its own threads
/// (SwiftNIO's event loops), talking to the pipeline only through ``LiveSwapControl`` and ``LiveMonitor``, so a
/// request never blocks a pipeline stage.
public final class ControlServer: Sendable {
    /// What the server is started with.
    public struct Configuration: Sendable {
        public var address: ControlAddress
        /// Required on every request when set (it must be for addresses other than loopback).
        public var token: String?
        /// Folders the panel may pick new faces (photos) and trained models from.
        public var faces: FolderPicker?
        public var models: FolderPicker?
        /// The command line as given, for the equivalent command.
        public var commandLine = CommandLineText(arguments: [])
        /// What `GET /api/state` reports as input and output.
        public var input = ""
        public var output = ""
        /// Where recordings go (the record button).
        public var recordDirectory = "."
        /// The new face the job started with (paths).
        public var face: String?
        public var model: String?

        public init(address: ControlAddress) {
            self.address = address
        }
    }

    /// Builds a new face from a photo or a trained model (path), off the pipeline threads.
    public enum NewFaceSource: Sendable {
        case photo(String)
        case model(String)
    }
    public typealias SwapperFactory = @Sendable (NewFaceSource) throws -> any FaceSwapper

    /// Largest upload accepted (`POST /api/face`).
    public static let maxUploadBytes = 20 << 20

    let configuration: Configuration
    let control: LiveSwapControl
    let monitor: LiveMonitor
    let makeSwapper: SwapperFactory
    let jpeg = JPEGEncoder(maxWidth: 640, quality: 5)
    let face: Mutex<(face: String?, model: String?)>
    let stopping = Atomic<Bool>(false)
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let boundPort = Mutex<Int?>(nil)

    public init(configuration: Configuration, control: LiveSwapControl, monitor: LiveMonitor,
                makeSwapper: @escaping SwapperFactory) {
        self.configuration = configuration
        self.control = control
        self.monitor = monitor
        self.makeSwapper = makeSwapper
        self.face = Mutex((configuration.face, configuration.model))
    }

    /// Starts listening; returns the panel's URL (with the token when one is needed) once the socket is bound, or
    /// throws why it could not bind.
    public func start() throws -> String {
        let address = configuration.address
        var logger = Logger(label: "facelive.control")
        logger.logLevel = .critical
        let started = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "facelive"),
            onServerRunning: { [self] channel in
                boundPort.withLock { $0 = channel.localAddress?.port }
                started.signal()
            },
            logger: logger)
        let task = Task.detached {
            do {
                try await app.run()
            } catch {
                failure.withLock { $0 = error }
                started.signal()
            }
        }
        self.task.withLock { $0 = task }
        guard started.wait(timeout: .now() + 30) == .success else {
            throw ControlError.cannotListen(address.description, reason: "the server did not start")
        }
        if let error = failure.withLock({ $0 }) {
            throw ControlError.cannotListen(address.description, reason: "\(error)")
        }
        return url
    }

    /// The port actually bound (differs from the configured one for port 0).
    public var port: Int { boundPort.withLock { $0 } ?? configuration.address.port }

    /// The panel's address, with `?token=` when a token is needed.
    public var url: String {
        var bound = configuration.address
        bound.port = port
        let host = ["0.0.0.0", "::"].contains(bound.host) ? "127.0.0.1" : bound.host
        let base = "http://\(ControlAddress(host: host, port: bound.port))/"
        return configuration.token.map { base + "?token=" + $0 } ?? base
    }

    /// `host:port` names requests may carry as their Host.
    var hostNames: Set<String> {
        var hosts = ["\(configuration.address.host):\(port)", "[\(configuration.address.host)]:\(port)"]
        if configuration.address.isLoopback || ["0.0.0.0", "::"].contains(configuration.address.host) {
            hosts += ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
        }
        return Set(hosts.map { $0.lowercased() })
    }

    /// Stops the server: open event streams end, and the listening socket closes.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        guard let task = task.withLock({ $0 }) else { return }
        task.cancel()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            _ = await task.value
            done.signal()
        }
        _ = done.wait(timeout: .now() + 5)
    }

    /// A random token for addresses other than loopback when none was given.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
