import Foundation
import Testing

/// The control panel in a real browser: headless Chromium (Debian's package, installed by
/// scripts/install-browser.sh) opens the page of a running `facelive run --control`, sees the preview update,
/// moves the opacity slider, flips bypass, reads the figures and uploads a photo whose warning it shows
/// (scripts/browser_test.py, DevTools protocol).
@Suite struct BrowserPanelTests {
    static let browser = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: browser != nil, "no headless Chromium: run scripts/install-browser.sh"))
    func thePageShowsAndSteersTheRunningFilter() throws {
        let script = CLIRunner.repoRoot.appendingPathComponent("scripts/browser_test.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, CLIRunner.binary.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: CLIRunner.readAll(out.fileHandleForReading.fileDescriptor), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("6 passed, 0 failed"), "\(text)")
    }
}
