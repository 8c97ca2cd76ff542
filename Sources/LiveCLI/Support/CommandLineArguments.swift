/// Command-line words as the parser should see them.
enum CommandLineArguments {
    /// `--opt -1` → `--opt=-1`: a negative (or `-inf`/`-nan`) value would otherwise read as an unknown option
    /// and the message would be "Missing value", not what is wrong with the number.
    static func joiningNegativeValues(_ words: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("--"), !word.contains("="), word != "--", index + 1 < words.count,
               looksNegative(words[index + 1]) {
                result.append(word + "=" + words[index + 1])
                index += 2
            } else {
                result.append(word)
                index += 1
            }
        }
        return result
    }

    private static func looksNegative(_ word: String) -> Bool {
        word.hasPrefix("-") && word.count > 1 && Double(word) != nil
    }
}
