/// Splits a command string into words as a POSIX shell would, without expansion: the
/// form Compose gives `command: echo "hello world"` (→ `["echo", "hello world"]`).
enum ShellWords {
    enum Failure: Error { case unterminatedQuote }

    static func split(_ text: String) throws(Failure) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
                inWord = true
                continue
            }
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\", q == "\"" {
                    escaped = true
                } else {
                    current.append(c)
                }
                continue
            }
            switch c {
            case "\\":
                escaped = true
                inWord = true
            case "\"", "'":
                quote = c
                inWord = true
            case " ", "\t", "\n", "\r":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            default:
                current.append(c)
                inWord = true
            }
        }
        if quote != nil || escaped { throw .unterminatedQuote }
        if inWord { words.append(current) }
        return words
    }
}
