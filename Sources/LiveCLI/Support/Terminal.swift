import Foundation
import Glibc
import Stream

/// Writing to stderr, and whether a person is watching it.
enum Terminal {
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    /// A message on stderr; if stderr itself is gone there is no one left to tell.
    static func printError(_ line: String) {
        try? ByteWriter.standardError.write(line + "\n")
    }

    /// A line of the command's product on stdout; a closed or full stdout is an error, not a crash.
    static func printOutput(_ line: String) throws {
        try ByteWriter.standardOutput.write(line + "\n")
    }

    /// Rewrites the current stderr line (progress display).
    static func rewriteLine(_ line: String) {
        try? ByteWriter.standardError.write("\r\u{1B}[2K" + line)
    }

    static func formatSeconds(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds)
        return s < 3600 ? String(format: "%d:%02d", s / 60, s % 60) : String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
