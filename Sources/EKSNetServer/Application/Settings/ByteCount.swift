/// A size from a flag or a variable: bytes (`1048576`) or a number with a unit — `KiB`, `MiB`, `GiB` (powers of
/// 1024), `kB`, `MB`, `GB` (powers of 1000) or `B` — such as `1MiB` or `512 KiB`. Whole bytes only.
public struct ByteCount: Hashable, Sendable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// The accepted form, for error messages.
    public static let form = "a whole number of bytes, or a number with KiB, MiB, GiB, kB, MB or GB (such as 1MiB)"

    static let units: [(suffix: String, factor: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("kB", 1000), ("KB", 1000), ("MB", 1_000_000),
        ("GB", 1_000_000_000), ("B", 1),
    ]

    /// Nil when the text is not a size or does not fit in 64 bits.
    public init?(parsing text: String) {
        var number = Substring(text)
        var factor = 1
        for unit in Self.units where number.hasSuffix(unit.suffix) {
            number = number.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        while number.last == " " { number = number.dropLast() }
        guard !number.isEmpty, number.count <= 19, number.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(number)
        else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    public var description: String {
        if bytes > 0, bytes % (1 << 30) == 0 { return "\(bytes >> 30)GiB" }
        if bytes > 0, bytes % (1 << 20) == 0 { return "\(bytes >> 20)MiB" }
        if bytes > 0, bytes % (1 << 10) == 0 { return "\(bytes >> 10)KiB" }
        return "\(bytes)"
    }
}
