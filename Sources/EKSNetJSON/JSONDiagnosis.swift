import EKSNetCore

/// Reads a body as RFC 8259 defines JSON, strictly, before any decoder sees it: every route then refuses the same
/// bodies whichever decoder reads them (leading zeros, trailing commas, `NaN`, bad escapes), a member name given
/// twice is refused instead of one of its values being picked silently, and nesting is bounded.
///
/// After a decoder refused a valid body without saying where, `diagnose` also names a number that no integer
/// field can hold.
public struct JSONDiagnosis {
    public enum Finding: Equatable, Sendable {
        /// Not JSON: what was expected, and where (1-based line and column).
        case syntax(line: Int, column: Int, message: String)
        /// Nested deeper than `maximumDepth`.
        case tooDeep(pointer: String, limit: Int)
        /// A number past a Double's range (RFC 8259 §6 lets a reader set the limit; Foundation does).
        case outOfRange(pointer: String, text: String)
        /// A member name that appears twice in one object (compared after unescaping).
        case duplicateKey(pointer: String, key: String)
        /// A number with a fraction, an exponent or more digits than a 64-bit integer holds.
        case notAnInteger(pointer: String, text: String)
        /// Nothing found (the decoder failed for another reason).
        case none
    }

    /// Deepest nesting accepted; no eksnet request needs more.
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var offset = 0
    /// Where the value being read sits: member names and indexes, outermost first. The pointer is built from it
    /// only when something is wrong, so a sound body costs no string building.
    private var path: [PathStep] = []

    private enum PathStep {
        case member(MemberName)
        case index(Int)
    }

    /// A member name as read: where its bytes are (the common case, no escapes), or its value when escapes had to
    /// be resolved. Nothing is allocated for a plain name.
    private enum MemberName {
        case plain(Range<Int>)
        case decoded(String)
    }

    private func text(of name: MemberName) -> String {
        switch name {
        case .plain(let range): String(decoding: bytes[range], as: UTF8.self)
        case .decoded(let value): value
        }
    }

    private func same(_ a: MemberName, _ b: MemberName) -> Bool {
        if case .plain(let x) = a, case .plain(let y) = b { return bytes[x].elementsEqual(bytes[y]) }
        return text(of: a) == text(of: b)
    }
    /// Whether a number that no 64-bit integer holds is a finding.
    private let reportsNonIntegers: Bool

    private init(_ bytes: [UInt8], reportsNonIntegers: Bool) {
        self.bytes = bytes
        self.reportsNonIntegers = reportsNonIntegers
    }

    /// The first way the body breaks RFC 8259, repeats a member name or nests too deep; `.none` for a sound body.
    public static func validate(_ bytes: [UInt8]) -> Finding {
        scan(JSONDiagnosis(bytes, reportsNonIntegers: false))
    }

    /// `validate`, and also a number that no integer field can hold: for bodies a decoder refused.
    public static func diagnose(_ bytes: [UInt8]) -> Finding {
        scan(JSONDiagnosis(bytes, reportsNonIntegers: true))
    }

    private static func scan(_ start: JSONDiagnosis) -> Finding {
        var scanner = start
        let bytes = scanner.bytes
        do {
            scanner.skipWhitespace()
            try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if scanner.offset < bytes.count { throw scanner.syntax("unexpected content after the JSON value") }
            return .none
        } catch let stop as Stop {
            return stop.finding
        } catch {
            return .none
        }
    }

    private struct Stop: Error {
        let finding: Finding
    }

    private var pointer: String {
        pointer(appending: nil)
    }

    private func pointer(appending key: String?) -> String {
        var pointer = JSONPointer.root
        for step in path {
            switch step {
            case .member(let name): pointer = pointer / text(of: name)
            case .index(let index): pointer = pointer / index
            }
        }
        if let key { pointer = pointer / key }
        return pointer.description
    }

    private func syntax(_ message: String) -> Stop {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Stop(finding: .syntax(line: line, column: column, message: message))
    }

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            offset += 1
        }
    }

    private mutating func expect(_ literal: String) throws {
        for expected in literal.utf8 {
            guard current == expected else { throw syntax("expected '\(literal)'") }
            offset += 1
        }
    }

    private mutating func value(depth: Int) throws {
        guard depth < Self.maximumDepth else {
            throw Stop(finding: .tooDeep(pointer: pointer, limit: Self.maximumDepth))
        }
        guard let byte = current else { throw syntax("unexpected end of the body") }
        switch byte {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expect("true")
        case UInt8(ascii: "f"): try expect("false")
        case UInt8(ascii: "n"): try expect("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw syntax("unexpected character '\(Self.printable(byte))'")
        }
    }

    /// Steps over an opening bracket and the space after it; true (and past the closing one) when the container
    /// is empty.
    private mutating func opensEmpty(closingWith close: UInt8) -> Bool {
        offset += 1
        skipWhitespace()
        guard current == close else { return false }
        offset += 1
        return true
    }

    private mutating func object(depth: Int) throws {
        if opensEmpty(closingWith: UInt8(ascii: "}")) { return }
        // Names seen in this object: compared one by one while few (no hashing, no allocation), by a set past that.
        var names: [MemberName] = []
        var nameSet: Set<String>?
        while true {
            skipWhitespace()
            if !names.isEmpty && current == UInt8(ascii: "}") { throw syntax("a trailing comma is not allowed in JSON") }
            guard current == UInt8(ascii: "\"") else { throw syntax("expected a member name in double quotes") }
            let name = try memberName()
            let repeated: Bool
            if var set = nameSet {
                repeated = !set.insert(text(of: name)).inserted
                nameSet = set
            } else {
                repeated = names.contains { same($0, name) }
                names.append(name)
                if names.count > 32 { nameSet = Set(names.map(text(of:))) }
            }
            if repeated {
                let key = text(of: name)
                throw Stop(finding: .duplicateKey(pointer: pointer(appending: key), key: key))
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw syntax("expected ':' after the member name") }
            offset += 1
            skipWhitespace()
            path.append(.member(name))
            try value(depth: depth + 1)
            path.removeLast()
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return
            default: throw syntax("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws {
        if opensEmpty(closingWith: UInt8(ascii: "]")) { return }
        var index = 0
        while true {
            skipWhitespace()
            if index > 0 && current == UInt8(ascii: "]") { throw syntax("a trailing comma is not allowed in JSON") }
            path.append(.index(index))
            try value(depth: depth + 1)
            path.removeLast()
            index += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return
            default: throw syntax("expected ',' or ']' in an array")
            }
        }
    }

    /// Checks a string value without building it: only member names need their value.
    private mutating func skipString() throws {
        offset += 1
        let start = offset
        var ascii = true
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                if !ascii, String(validating: bytes[start..<offset], as: UTF8.self) == nil {
                    offset = start
                    throw syntax("a string is not valid UTF-8")
                }
                offset += 1
                return
            case UInt8(ascii: "\\"):
                offset += 1
                _ = try escape()
            case 0..<0x20:
                throw syntax("control character inside a string; escape it")
            default:
                if byte >= 0x80 { ascii = false }
                offset += 1
            }
        }
        throw syntax("a string is not closed")
    }

    /// Reads a member name: where its bytes are when it has no escapes, else its value.
    private mutating func memberName() throws -> MemberName {
        let start = offset + 1
        var index = start
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !ascii, String(validating: bytes[start..<index], as: UTF8.self) == nil {
                    offset = start
                    throw syntax("a string is not valid UTF-8")
                }
                offset = index + 1
                return .plain(start..<index)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return .decoded(try string())
    }

    /// Reads a string and returns its value, escapes resolved (member names are compared by value).
    private mutating func string() throws -> String {
        offset += 1
        var start = offset
        var value = ""
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                value += try utf8(start..<offset)
                offset += 1
                return value
            case UInt8(ascii: "\\"):
                value += try utf8(start..<offset)
                offset += 1
                value.unicodeScalars.append(try escape())
                start = offset
            case 0..<0x20:
                throw syntax("control character inside a string; escape it")
            default:
                offset += 1
            }
        }
        throw syntax("a string is not closed")
    }

    private mutating func utf8(_ range: Range<Int>) throws -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            offset = range.lowerBound
            throw syntax("a string is not valid UTF-8")
        }
        return text
    }

    /// The character after a backslash: one of `"\/bfnrt`, or `u` and four hex digits (a surrogate pair for
    /// characters beyond the Basic Multilingual Plane; a lone surrogate is refused).
    private mutating func escape() throws -> Unicode.Scalar {
        guard let byte = current else { throw syntax("a string is not closed") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let escapeStart = offset - 2
            let unit = try hex4()
            guard (0xD800..<0xE000).contains(unit) else { return Unicode.Scalar(unit) ?? "\u{FFFD}" }
            // A surrogate must come as a pair, high then low. RFC 8259 §8.2 leaves lone ones undefined, and
            // Foundation, behind every route, refuses them: so does this reader.
            if (0xD800..<0xDC00).contains(unit), current == UInt8(ascii: "\\"),
                offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u")
            {
                offset += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
            }
            offset = escapeStart
            throw syntax("a \\u escape is half of a UTF-16 surrogate pair; write the character, or both halves")
        default:
            offset -= 1
            throw syntax("'\\\(Self.printable(byte))' is not a JSON escape; use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else {
                throw syntax("\\u needs four hex digits")
            }
            unit = unit << 4 | digit
            offset += 1
        }
        return unit
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws {
        let start = offset
        if current == UInt8(ascii: "-") { offset += 1 }
        guard let first = current, Self.isDigit(first) else { throw syntax("expected a digit") }
        offset += 1
        if first == UInt8(ascii: "0"), let next = current, Self.isDigit(next) {
            throw syntax("a number must not have a leading zero")
        }
        skipDigits()
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard let digit = current, Self.isDigit(digit) else { throw syntax("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw syntax("expected a digit in the exponent") }
            skipDigits()
        }
        // RFC 8259 §6 lets a reader limit the range; Foundation, behind every route, refuses numbers past a
        // Double's (7e5755), so this reader does too rather than let them through to one decoder and not another.
        if !integral || offset - start > 15 {
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if let value = Double(text), !value.isFinite {
                throw Stop(finding: .outOfRange(pointer: pointer, text: String(text.prefix(40))))
            }
        }
        if reportsNonIntegers { try check(start: start, integral: integral) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { offset += 1 }
    }

    private func check(start: Int, integral: Bool) throws {
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        let whole: Bool
        if integral {
            whole = Int64(text) != nil
        } else if let value = Double(text), value.isFinite, value == value.rounded(), abs(value) < 9.2e18 {
            whole = true
        } else {
            whole = false
        }
        if !whole {
            throw Stop(finding: .notAnInteger(pointer: pointer, text: String(text.prefix(40))))
        }
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }
}

