import Foundation
import Stream
import Testing

/// DeepFaceLive models through the binary: `model x.dfm`, `model --apply`, `run --model x.dfm`, and bad files.
@Suite("facelive model / run with .dfm")
struct DFMCommandTests {
    static let onnx = CLIRunner.repoRoot.appendingPathComponent("Tests/Fixtures/onnx")
    static func fixture(_ name: String) -> String { onnx.appendingPathComponent(name).path }

    static func npy(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(name))))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10 ..< 10 + headerLength], as: UTF8.self)
        let dims = header.split(separator: "(")[1].split(separator: ")")[0].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let values = bytes[(10 + headerLength)...].withUnsafeBytes { raw in
            (0 ..< dims.reduce(1, *)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
        return (dims, values)
    }

    @Test("model x.dfm describes the contract, the operators and the cost")
    func describes() throws {
        let result = try CLIRunner.run(["model", Self.fixture("amp_64_nhwc_op13.dfm"), "--morph", "0.5"])
        #expect(result.status == 0, "\(result.stderr)")
        for text in ["64×64", "AMP, morph 0.50", "in_face:0 [1×64×64×3]", "out_celeb_face:0 [1×64×64×3]", "Conv 37", "GFLOP per face"] {
            #expect(result.stdout.contains(text), "missing '\(text)' in \(result.stdout)")
        }
    }

    /// The aligned face the script fed onnxruntime, as a PNG; the swapped face and mask must come back as onnxruntime
    /// computed them (BGR handled, outputs taken by position, mask = dst mask × celeb mask), to 1/255.
    @Test("model --apply reproduces onnxruntime's face and mask", arguments: ["saehd_df_ud_96_op12", "torch_df_u_64_op13"])
    func applyMatchesReference(_ name: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try Self.npy(name + "_in_face.npy")
        let r = input.shape[1]
        var face = RGBImage(width: r, height: r)
        for p in 0 ..< r * r {
            for c in 0..<3 { face.pixels[3 * p + c] = UInt8((input.values[3 * p + 2 - c] * 255).rounded()) }
        }
        let aligned = dir.appendingPathComponent("aligned.png").path, out = dir.appendingPathComponent("out.png").path
        let maskOut = dir.appendingPathComponent("mask.png").path
        try PNGEncoder.write(face, to: aligned)
        let result = try CLIRunner.run(["model", Self.fixture(name + ".dfm"), "--apply", aligned, "-o", out, "--mask-out", maskOut])
        #expect(result.status == 0, "\(result.stderr)")
        let swapped = try #require(try MediaSource(out).nextFrame()).image
        let mask = try #require(try MediaSource(maskOut).nextFrame()).image
        let celeb = try Self.npy(name + "_out_1.npy"), dstMask = try Self.npy(name + "_out_0.npy")
        let celebMask = try Self.npy(name + "_out_2.npy")
        var worstFace = 0, worstMask = 0
        for p in 0 ..< r * r {
            for c in 0..<3 {
                let expected = Int((celeb.values[3 * p + 2 - c] * 255).rounded())
                worstFace = max(worstFace, abs(Int(swapped.pixels[3 * p + c]) - expected))
            }
            let m = Int((dstMask.values[p] * celebMask.values[p] * 255).rounded())
            worstMask = max(worstMask, abs(Int(mask.pixels[3 * p]) - m))
        }
        #expect(worstFace <= 1 && worstMask <= 1, "face off by \(worstFace), mask by \(worstMask)")
    }

    @Test("run --model x.dfm swaps the astronaut's face and leaves the rest")
    func runSwaps() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("swapped.png").path
        // The random test model's mask is speckle: no erosion, or none of it survives.
        let result = try CLIRunner.run(["run", "-i", RunCommandTests.astronaut, "-o", out, "--model", Self.fixture("torch_df_u_64_op13.dfm"),
                                        "--erode", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let before = try RunCommandTests.image(RunCommandTests.astronaut), after = try RunCommandTests.image(out)
        let face = (x0: 170, y0: 60, x1: 250, y1: 150), corner = (x0: 0, y0: 300, x1: 100, y1: 512)
        #expect(TrainedModelCommandTests.difference(before, after, inside: face, outside: false) > 10)
        #expect(TrainedModelCommandTests.difference(before, after, inside: corner, outside: false) < 0.5)
    }

    @Test("bad models and options: one line naming the problem, non-zero exit", arguments: [
        ("png", "not an ONNX model"), ("truncated", "malformed ONNX file"), ("missing", "cannot read model"),
        ("no-dfm-inputs", "not a DeepFaceLive .dfm model"), ("unknown-op", "unsupported ONNX operator Sigmoix"),
        ("morph-range", "--morph must be between 0 and 1"), ("morph-nan", "--morph must be between 0 and 1"),
        ("morph-without-dfm", "--morph"),
    ])
    func badInput(_ kind: String, _ expected: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.dfm").path
        let df = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("saehd_df_ud_96_op12.dfm")))
        var arguments = ["model", path]
        switch kind {
        case "png": try Data(contentsOf: URL(fileURLWithPath: RunCommandTests.astronaut)).write(to: URL(fileURLWithPath: path))
        case "truncated": try df.prefix(df.count / 3).write(to: URL(fileURLWithPath: path))
        case "missing": break
        case "no-dfm-inputs":
            // A valid ONNX model whose input is not `in_face`: the fixture with its input renamed.
            try Self.replacing("in_face:0", with: "in_xxxx:0", in: df).write(to: URL(fileURLWithPath: path))
        case "unknown-op": try Self.replacing("\"\u{07}Sigmoid", with: "\"\u{07}Sigmoix", in: df).write(to: URL(fileURLWithPath: path))
        case "morph-range": arguments = ["model", Self.fixture("amp_64_nhwc_op13.dfm"), "--morph", "1.5"]
        case "morph-nan": arguments = ["run", "-i", RunCommandTests.astronaut, "-o", dir.appendingPathComponent("o.png").path,
                                       "--model", Self.fixture("amp_64_nhwc_op13.dfm"), "--morph", "nan"]
        default: arguments = ["model", Self.fixture("../astronaut_public_domain.png"), "--morph", "0.5"]
        }
        let result = try CLIRunner.run(arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count >= 1 && lines[0].contains(expected), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "no crash")
    }

    static func replacing(_ old: String, with new: String, in data: Data) throws -> Data {
        let bytes = [UInt8](data), o = Array(old.utf8)
        var out = bytes
        var found = false
        for i in 0...(bytes.count - o.count) where bytes[i ..< i + o.count].elementsEqual(o) {
            out.replaceSubrange(i ..< i + o.count, with: Array(new.utf8))
            found = true
            if !old.hasPrefix("\"") { continue }  // rename every use of a value; an op type only once
            break
        }
        guard found else { throw CLIError("'\(old)' not in the file") }
        return Data(out)
    }
}
