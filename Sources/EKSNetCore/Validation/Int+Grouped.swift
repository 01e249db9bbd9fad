/// Counts in messages (findings, problems, advice) are written as people read address counts. It sits at the
/// bottom of the core so that every layer can use it without pointing up at the plan rules.
extension Int {
    /// 4,091 — thousands separated, as people read address counts.
    public var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (self < 0 ? "-" : "") + result
    }
}
