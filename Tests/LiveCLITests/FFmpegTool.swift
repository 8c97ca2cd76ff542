import Foundation

/// The `ffmpeg` command-line tool, for making test media facelive itself would not write (several video
/// streams, a display matrix, odd sizes) and for asking what `ffmpeg` itself does with a file.
enum FFmpegTool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `ffmpeg -v error -y ARGUMENTS`; throws with its stderr when it fails.
    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "ffmpeg \(arguments): \(message)") }
    }
}
