import Foundation
import Testing

/// libavdevice (and libavfilter with its ~75 libraries) is loaded only when a device format is used: a file run
/// does not pay its 15 MB of resident memory. The dynamic loader's own log (`LD_DEBUG=files`) says what it loaded.
@Suite("libavdevice is loaded on demand")
struct DeviceLibraryTests {
    /// The libraries the loader opened while facelive ran `arguments`.
    static func loadedLibraries(_ arguments: [String]) throws -> (status: Int32, libraries: [String], stderr: String) {
        let result = try CLIRunner.run(arguments, environment: ["LD_DEBUG": "files"])
        let libraries = result.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "file=") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " && $0 != ";" })
        }
        return (result.status, libraries, result.stderr)
    }

    @Test("a file conversion loads neither libavdevice nor libavfilter; a lavfi input loads libavdevice and works")
    func loadedOnlyForDevices() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = dir.appendingPathComponent("gen.mp4").path

        let lavfi = try Self.loadedLibraries(["convert", "-i", "lavfi:testsrc2=size=160x120:rate=10:duration=0.5",
                                              "-o", generated])
        #expect(lavfi.status == 0, "\(lavfi.stderr.suffix(400))")
        #expect(lavfi.libraries.contains { $0.hasPrefix("libavdevice.so") }, "lavfi needs libavdevice, loaded on demand")
        #expect(FileManager.default.fileExists(atPath: generated))

        let file = try Self.loadedLibraries(["convert", "-i", generated, "-o", dir.appendingPathComponent("copy.mp4").path])
        #expect(file.status == 0, "\(file.stderr.suffix(400))")
        #expect(file.libraries.count > 10, "the loader's log lists the libraries (LD_DEBUG=files)")
        #expect(!file.libraries.contains { $0.hasPrefix("libavdevice.so") || $0.hasPrefix("libavfilter.so") },
                "a file run loaded \(file.libraries.filter { $0.contains("libav") })")
    }
}
