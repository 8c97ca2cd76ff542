import Foundation

/// Where the control panel listens: `--control [HOST:]PORT` (`8089` = 127.0.0.1:8089; port 0 = any free port).
public struct ControlAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `PORT`, `HOST:PORT` or `[IPv6]:PORT`.
    public init(parsing text: String) throws(ControlError) {
        var host = "127.0.0.1", portText = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon]).trimmingCharacters(in: ["[", "]"])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw .invalidAddress(text)
        }
        self.init(host: host, port: port)
    }

    /// Whether only this machine can reach the address (no token needed).
    public var isLoopback: Bool { ["127.0.0.1", "localhost", "::1"].contains(host) || host.hasPrefix("127.") }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
