import Control
import Foundation
import Swap
import Testing

/// The control panel's settings as JSON (`PATCH /api/settings`, `GET /api/settings`, `--settings FILE`).
@Suite struct LiveSwapSettingsJSONTests {
    @Test func everyFieldSurvivesARoundTrip() throws {
        var settings = LiveSwapSettings()
        settings.erode = -3
        settings.blur = 2.5
        settings.colorTransfer = .lct
        settings.relight = 0.25
        settings.grain = 0.4
        settings.blend = .alpha
        settings.keepGlasses = .on
        settings.keepHair = .off
        settings.occlusion = .none
        settings.opacity = 0.5
        settings.keepMouth = true
        settings.faces = .ids([0, 2])
        settings.maxFaces = 3
        settings.noSmoothing = true
        settings.bypass = true
        let object = settings.jsonObject
        #expect(Set(object.keys) == Set(LiveSwapSettings.fieldNames))
        #expect(object["blend"] as? String == "alpha" && object["faces"] as? String == "0,2")
        #expect(try LiveSwapSettings().patched(with: object) == settings)
    }

    @Test func aPatchChangesOnlyItsFields() throws {
        var base = LiveSwapSettings()
        base.opacity = 0.3
        let patched = try base.patched(with: ["keep-glasses": "off", "relight": 0, "grain": 0.5])
        var expected = base
        expected.keepGlasses = .off
        expected.relight = 0
        expected.grain = 0.5
        #expect(patched == expected)
    }

    @Test func badFieldsAreNamed() {
        for (body, field) in [(["blend": "sideways"], "blend"), (["occlusion": 1], "occlusion"), (["keep-hair": "auto"], "keep-hair"),
                              (["relight": -1], "relight"), (["grain": 2], "grain"), (["faces": "a,b"], "faces"), (["opacitty": 1], "opacitty")]
            as [([String: Any], String)] {
            do {
                _ = try LiveSwapSettings().patched(with: body)
                Issue.record("\(body) was taken")
            } catch {
                guard case .badField(let named, _) = error else { Issue.record("\(body): \(error)"); continue }
                #expect(named == field, "\(body)")
            }
        }
    }

    @Test func aSettingsFileIsReadOverTheDefaultsAndItsNewFaceIsLeftToTheCaller() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"blend": "alpha", "temporal-smoothing": 0.2, "face": "me.png"}"#.utf8).write(to: file)
        let loaded = try LiveSwapSettings().loading(file: file.path)
        #expect(loaded.blend == .alpha && loaded.temporalSmoothing == 0.2)
        #expect(loaded.opacity == LiveSwapSettings().opacity)
        #expect(throws: ControlError.self) { try LiveSwapSettings().loading(file: file.path + ".missing") }
    }
}
