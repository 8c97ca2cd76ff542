import Foundation
import Testing

/// The merge options of `facelive run` reject bad values with their range, before any input is opened.
@Suite("facelive run: blend options") struct BlendOptionTests {
    @Test("--relight or --grain outside 0…1 or not a number, and an unknown --blend, --keep-glasses or --keep-hair, are refused",
          arguments: [["--relight", "2"], ["--relight", "nan"], ["--relight=-0.5"], ["--grain", "1.5"], ["--grain", "inf"],
                      ["--grain=-0.1"], ["--blend", "feather"],
                      ["--keep-glasses", "maybe"], ["--keep-hair", "auto"]])
    func refused(_ option: [String]) throws {
        let result = try CLIRunner.run(["run", "-i", "lavfi:testsrc2=duration=1", "-o", "/dev/null", "-f", "null"] + option)
        #expect(result.status != 0)
        let name = String(option[0].prefix { $0 != "=" })
        #expect(result.stderr.contains(name), "\(result.stderr)")
        if name == "--relight" || name == "--grain" { #expect(result.stderr.contains("between 0 and 1")) }
    }
}
