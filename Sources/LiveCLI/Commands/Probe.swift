import ArgumentParser
import Foundation
import Stream

/// `facelive probe`: what an input holds.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show an input's streams, codecs, sizes, durations and frame counts.")

    @Argument(help: "A file, URL, /dev/videoN or lavfi:GRAPH.")
    var input: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(name: .customLong("input-timeout"), help: ArgumentHelp("Network input: give up after this many seconds without data (0 = wait forever).", valueName: "SECONDS"))
    var inputTimeout = SourceOptions.defaultStallTimeout

    func validate() throws {
        try OptionRange.check(inputTimeout, "--input-timeout", 0...86_400, unit: " s")
    }

    func run() throws {
        FFmpegLog.configure(verbose: false)
        let info = try MediaProbe.probe(input, stallTimeout: inputTimeout > 0 ? inputTimeout : nil)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try Terminal.printOutput(String(decoding: try encoder.encode(info), as: UTF8.self))
            return
        }
        var header = "\(info.input): \(info.format)"
        if let d = info.durationSeconds { header += String(format: ", %.3f s", d) }
        if let b = info.bitRate { header += ", \(b / 1000) kb/s" }
        try Terminal.printOutput(header)
        for s in info.streams {
            var line = "  #\(s.index) \(s.type) \(s.codec)"
            if let w = s.width, let h = s.height { line += " \(w)x\(h)" }
            if let p = s.pixelFormat { line += " \(p)" }
            if let r = s.frameRate { line += String(format: " %.3f fps", r) }
            if let sr = s.sampleRate { line += " \(sr) Hz" }
            if let c = s.channels { line += " \(c) ch" }
            if let d = s.durationSeconds { line += String(format: " %.3f s", d) }
            if let f = s.frames { line += " \(f) \(s.type == "video" ? "frames" : "packets")" }
            try Terminal.printOutput(line)
        }
    }
}
