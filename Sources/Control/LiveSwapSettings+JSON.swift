import Face
import Foundation
import Swap

/// The settings as JSON, keyed by `run`'s flag names without dashes (`opacity`, `color-transfer`…): the API's
/// `PATCH /api/settings` body, `GET /api/state`'s `settings`, and `--settings FILE`.
extension LiveSwapSettings: Codable {
    /// The names a settings object may hold.
    public static var fieldNames: [String] { fields.map(\.name) }

    /// Every setting's JSON name and how it is read and written, in the order the names are listed.
    private static var fields: [SettingField] {
        [.value("erode", \.erode), .value("blur", \.blur), .choice("color-transfer", \.colorTransfer),
         .value("relight", \.relight), .value("grain", \.grain), .choice("blend", \.blend), .choice("keep-glasses", \.keepGlasses),
         .choice("keep-hair", \.keepHair),
         .choice("occlusion", \.occlusion), .value("opacity", \.opacity), .value("keep-mouth", \.keepMouth),
         .value("keep-eyes", \.keepEyes), .value("temporal-smoothing", \.temporalSmoothing),
         .value("temporal-reset", \.temporalReset), .value("threshold", \.threshold), .faces,
         .value("max-faces", \.maxFaces), .value("detect-every", \.detectEvery), .value("no-smoothing", \.noSmoothing),
         .value("smooth-min-cutoff", \.smoothMinCutoff), .value("smooth-beta", \.smoothBeta), .value("bypass", \.bypass)]
    }

    /// Reads the fields present over the settings in the decoder's ``baseKey`` user info (or the defaults).
    public init(from decoder: any Decoder) throws {
        self = decoder.userInfo[Self.baseKey] as? LiveSwapSettings ?? LiveSwapSettings()
        let container = try decoder.container(keyedBy: SettingField.Key.self)
        for field in Self.fields { try field.read(&self, container) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SettingField.Key.self)
        for field in Self.fields { try field.write(self, &container) }
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

/// One setting in JSON: its name (the flag's, without dashes) and how it is read over settings and written.
private struct SettingField {
    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        var intValue: Int? { nil }
    }

    let name: String
    /// Sets the field when the JSON object has it.
    let read: (inout LiveSwapSettings, KeyedDecodingContainer<Key>) throws -> Void
    let write: (LiveSwapSettings, inout KeyedEncodingContainer<Key>) throws -> Void

    /// A number or boolean, as it is.
    static func value<T: Codable>(_ name: String, _ path: WritableKeyPath<LiveSwapSettings, T>) -> SettingField {
        let key = Key(stringValue: name)
        return SettingField(name: name,
                            read: { settings, c in if let v = try c.decodeIfPresent(T.self, forKey: key) { settings[keyPath: path] = v } },
                            write: { settings, c in try c.encode(settings[keyPath: path], forKey: key) })
    }

    /// One of a choice's names (`"pyramid"`); another name is a ``ControlError/badField(field:message:)`` listing them.
    static func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, _ path: WritableKeyPath<LiveSwapSettings, Choice>)
        -> SettingField where Choice.RawValue == String {
        let key = Key(stringValue: name)
        return SettingField(name: name, read: { settings, c in
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return }
            guard let choice = Choice(rawValue: text) else {
                throw ControlError.badField(field: name, message: "'\(text)' is not one of "
                    + Choice.allCases.map(\.rawValue).joined(separator: ", "))
            }
            settings[keyPath: path] = choice
        }, write: { settings, c in try c.encode(settings[keyPath: path].rawValue, forKey: key) })
    }

    /// `faces`: `"all"` or track IDs (`"0,2"`).
    static var faces: SettingField {
        let key = Key(stringValue: "faces")
        return SettingField(name: key.stringValue, read: { settings, c in
            if let text = try c.decodeIfPresent(String.self, forKey: key) { settings.faces = try FaceSelection(parsing: text) }
        }, write: { settings, c in try c.encode(settings.faces.description, forKey: key) })
    }
}
