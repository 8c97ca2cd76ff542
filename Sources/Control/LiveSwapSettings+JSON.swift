import Face
import Foundation
import Swap

/// The settings as JSON, keyed by `run`'s flag names without dashes (`opacity`, `color-transfer`…): the API's
/// `PATCH /api/settings` body, `GET /api/state`'s `settings`, and `--settings FILE`.
extension LiveSwapSettings: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case erode, blur, colorTransfer = "color-transfer", relight, blend, keepGlasses = "keep-glasses", occlusion
        case opacity, keepMouth = "keep-mouth", keepEyes = "keep-eyes"
        case temporalSmoothing = "temporal-smoothing", temporalReset = "temporal-reset"
        case threshold, faces, maxFaces = "max-faces", detectEvery = "detect-every"
        case noSmoothing = "no-smoothing", smoothMinCutoff = "smooth-min-cutoff", smoothBeta = "smooth-beta", bypass
    }

    /// The names a settings object may hold.
    public static var fieldNames: [String] { CodingKeys.allCases.map(\.rawValue) }

    /// Reads the fields present over the settings in the decoder's ``baseKey`` user info (or the defaults).
    public init(from decoder: any Decoder) throws {
        self = decoder.userInfo[Self.baseKey] as? LiveSwapSettings ?? LiveSwapSettings()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        erode = try c.decodeIfPresent(Int.self, forKey: .erode) ?? erode
        blur = try c.decodeIfPresent(Float.self, forKey: .blur) ?? blur
        colorTransfer = try Self.decodeChoice(c, .colorTransfer) ?? colorTransfer
        relight = try c.decodeIfPresent(Float.self, forKey: .relight) ?? relight
        blend = try Self.decodeChoice(c, .blend) ?? blend
        keepGlasses = try Self.decodeChoice(c, .keepGlasses) ?? keepGlasses
        occlusion = try Self.decodeChoice(c, .occlusion) ?? occlusion
        opacity = try c.decodeIfPresent(Float.self, forKey: .opacity) ?? opacity
        keepMouth = try c.decodeIfPresent(Bool.self, forKey: .keepMouth) ?? keepMouth
        keepEyes = try c.decodeIfPresent(Bool.self, forKey: .keepEyes) ?? keepEyes
        temporalSmoothing = try c.decodeIfPresent(Float.self, forKey: .temporalSmoothing) ?? temporalSmoothing
        temporalReset = try c.decodeIfPresent(Float.self, forKey: .temporalReset) ?? temporalReset
        threshold = try c.decodeIfPresent(Float.self, forKey: .threshold) ?? threshold
        if let text = try c.decodeIfPresent(String.self, forKey: .faces) { faces = try FaceSelection(parsing: text) }
        maxFaces = try c.decodeIfPresent(Int.self, forKey: .maxFaces) ?? maxFaces
        detectEvery = try c.decodeIfPresent(Int.self, forKey: .detectEvery) ?? detectEvery
        noSmoothing = try c.decodeIfPresent(Bool.self, forKey: .noSmoothing) ?? noSmoothing
        smoothMinCutoff = try c.decodeIfPresent(Float.self, forKey: .smoothMinCutoff) ?? smoothMinCutoff
        smoothBeta = try c.decodeIfPresent(Float.self, forKey: .smoothBeta) ?? smoothBeta
        bypass = try c.decodeIfPresent(Bool.self, forKey: .bypass) ?? bypass
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(erode, forKey: .erode)
        try c.encode(blur, forKey: .blur)
        try c.encode(colorTransfer.rawValue, forKey: .colorTransfer)
        try c.encode(relight, forKey: .relight)
        try c.encode(blend.rawValue, forKey: .blend)
        try c.encode(keepGlasses.rawValue, forKey: .keepGlasses)
        try c.encode(occlusion.rawValue, forKey: .occlusion)
        try c.encode(opacity, forKey: .opacity)
        try c.encode(keepMouth, forKey: .keepMouth)
        try c.encode(keepEyes, forKey: .keepEyes)
        try c.encode(temporalSmoothing, forKey: .temporalSmoothing)
        try c.encode(temporalReset, forKey: .temporalReset)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(faces.description, forKey: .faces)
        try c.encode(maxFaces, forKey: .maxFaces)
        try c.encode(detectEvery, forKey: .detectEvery)
        try c.encode(noSmoothing, forKey: .noSmoothing)
        try c.encode(smoothMinCutoff, forKey: .smoothMinCutoff)
        try c.encode(smoothBeta, forKey: .smoothBeta)
        try c.encode(bypass, forKey: .bypass)
    }

    /// One of a choice's names (`"pyramid"`), or a ``ControlError/badField(field:message:)`` listing them.
    private static func decodeChoice<Choice: RawRepresentable & CaseIterable>(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Choice? where Choice.RawValue == String {
        guard let name = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let choice = Choice(rawValue: name) else {
            throw ControlError.badField(field: key.rawValue, message: "'\(name)' is not one of "
                + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    static let baseKey = CodingUserInfoKey(rawValue: "facelive.settings.base")!

    /// These settings with the fields of a JSON object applied over them, validated. Unknown names, wrong types
    /// and values out of range throw ``ControlError/badField(field:message:)`` naming the field.
    public func patched(with object: [String: Any]) throws(ControlError) -> LiveSwapSettings {
        if let unknown = object.keys.sorted().first(where: { !Self.fieldNames.contains($0) }) {
            throw .badField(field: unknown, message: "unknown setting; known: \(Self.fieldNames.joined(separator: ", "))")
        }
        let settings: LiveSwapSettings
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[Self.baseKey] = self
            settings = try decoder.decode(LiveSwapSettings.self, from: JSONSerialization.data(withJSONObject: object))
        } catch let error as ControlError {
            throw error
        } catch let error as LiveSwapSettingsError {
            throw .badField(field: error.field, message: error.description)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.first?.stringValue ?? "settings"
            throw .badField(field: field, message: "expected \(type == String.self ? "a string" : type == Bool.self ? "true or false" : "a number")")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw .badField(field: context.codingPath[0].stringValue, message: "has the wrong type or is out of range")
        } catch {
            throw .badRequest("the settings are not a JSON object of settings: \(error)")
        }
        do {
            try settings.validate()
        } catch {
            throw .badField(field: error.field, message: error.description)
        }
        return settings
    }

    /// Reads a settings file (`--settings FILE`): a JSON object of settings, applied over these.
    public func loading(file path: String) throws(ControlError) -> LiveSwapSettings {
        guard let data = FileManager.default.contents(atPath: path) else { throw .settingsFile(path, reason: "cannot read it") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .settingsFile(path, reason: "not a JSON object")
        }
        do {
            return try patched(with: object.filter { !["face", "model"].contains($0.key) })
        } catch {
            throw .settingsFile(path, reason: error.description)
        }
    }

    /// The settings as a JSON object (for merging into a larger document).
    public var jsonObject: [String: Any] {
        let data = (try? JSONEncoder().encode(self)) ?? Data("{}".utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
