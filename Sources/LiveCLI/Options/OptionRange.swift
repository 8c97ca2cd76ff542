import ArgumentParser

/// The one check every numeric option goes through: NaN and infinities are refused, and so is anything outside
/// the option's documented range, with the range in the one-line message.
enum OptionRange {
    /// Throws unless `value` is finite and within `range`.
    static func check<Value: BinaryFloatingPoint>(_ value: Value, _ name: String, _ range: ClosedRange<Value>,
                                                  unit: String = "") throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(name) must be between \(format(range.lowerBound))\(unit) and \(format(range.upperBound))\(unit) (got \(format(value)))")
        }
    }

    /// Throws unless `value` is within `range`.
    static func check(_ value: Int, _ name: String, _ range: ClosedRange<Int>, unit: String = "") throws {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be between \(range.lowerBound)\(unit) and \(range.upperBound)\(unit) (got \(value))")
        }
    }

    /// `1`, `0.5`, `1e-06`, `nan` — short, like the user typed it.
    private static func format<Value: BinaryFloatingPoint>(_ value: Value) -> String {
        let double = Double(value)
        if double.isFinite, double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
        return String(describing: value)
    }
}
