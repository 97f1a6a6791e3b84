extension String {
    /// The text with every control character (C0, DEL, C1: NUL, ESC of an ANSI escape,
    /// a newline) written as a visible `\u{1B}` escape, and the non-characters U+FFFE
    /// and U+FFFF likewise: safe in a terminal line, a file name shown to people, a
    /// Markdown table cell and XML. For anything read from a file (names in fixtures).
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if Self.needsEscape(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }
}
