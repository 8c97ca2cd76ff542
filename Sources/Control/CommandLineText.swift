import Foundation
import Swap

/// The `facelive run` command line that starts with the panel's current settings: the command as it was given,
/// without the settings the panel manages, plus those settings where they differ from the defaults.
public struct CommandLineText: Sendable {
    /// The arguments as given (without the program name).
    public let arguments: [String]

    /// Flags that take no value.
    static let switches: Set<String> = ["--keep-mouth", "--keep-eyes", "--no-smoothing"]
    /// Flags of the panel's own, dropped from the command (with their value).
    static let panelFlags: Set<String> = ["--control", "--control-token", "--settings", "--faces-dir", "--models-dir", "--record-dir"]

    public init(arguments: [String]) {
        self.arguments = arguments
    }

    /// The command for `settings` with `face` or `model` (paths) as the new face.
    public func command(settings: LiveSwapSettings, face: String?, model: String?) -> String {
        let managed = Set(LiveSwapSettings.fieldNames.map { "--" + $0 }).union(["--face", "--model"]).union(Self.panelFlags)
        var kept: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if managed.contains(name) {
                // A separate value follows unless it is a switch or written as --flag=value.
                index += Self.switches.contains(name) || argument.contains("=") ? 1 : 2
                continue
            }
            kept.append(argument)
            index += 1
        }
        var extra: [String] = []
        if let face { extra += ["--face", face] }
        if let model { extra += ["--model", model] }
        let defaults = LiveSwapSettings()
        let current = settings.jsonObject, base = defaults.jsonObject
        for name in LiveSwapSettings.fieldNames where name != "bypass" {
            guard let value = current[name], "\(value)" != "\(base[name] ?? "")" else { continue }
            if let flag = value as? Bool, Self.switches.contains("--" + name) {
                if flag { extra.append("--" + name) }
            } else {
                extra += ["--" + name, "\(value)"]
            }
        }
        return (["facelive"] + kept + extra).map(Self.quoted).joined(separator: " ")
    }

    /// Shell-quotes `word` when it needs it.
    static func quoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
