import EKSNetCore

/// Finds what is wrong with a body that JSONDecoder refused without saying where (Foundation reports only "not
/// valid JSON"): the line and column of a syntax error, nesting past the limit, or the pointer of a number that
/// no integer field can hold. Runs only on the failure path, so the happy path pays nothing.
struct JSONDiagnosis {
    enum Finding: Equatable {
        /// Not JSON: what was expected, and where (1-based line and column).
        case syntax(line: Int, column: Int, message: String)
        /// Nested deeper than `maximumDepth`.
        case tooDeep(pointer: String, limit: Int)
        /// A number with a fraction, an exponent or more digits than a 64-bit integer holds.
        case notAnInteger(pointer: String, text: String)
        /// Nothing found (the decoder failed for another reason).
        case none
    }

    static let maximumDepth = 256

    private let bytes: [UInt8]
    private var offset = 0
    /// Pointers of the values being read, innermost last.
    private var path: [JSONPointer] = [.root]

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func diagnose(_ bytes: [UInt8]) -> Finding {
        var scanner = JSONDiagnosis(bytes)
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
        path[path.count - 1].description
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
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try expect("true")
        case UInt8(ascii: "f"): try expect("false")
        case UInt8(ascii: "n"): try expect("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw syntax("unexpected character '\(Self.printable(byte))'")
        }
    }

    private mutating func object(depth: Int) throws {
        offset += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw syntax("expected a member name in double quotes") }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw syntax("expected ':' after the member name") }
            offset += 1
            skipWhitespace()
            path.append(path[path.count - 1] / key)
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
        offset += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            offset += 1
            return
        }
        var index = 0
        while true {
            skipWhitespace()
            path.append(path[path.count - 1] / index)
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

    private mutating func string() throws -> String {
        offset += 1
        let start = offset
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                let text = bytes[start..<offset]
                offset += 1
                guard let decoded = String(validating: text, as: UTF8.self) else {
                    offset = start
                    throw syntax("a string is not valid UTF-8")
                }
                return decoded
            case UInt8(ascii: "\\"):
                offset += 2
            case 0..<0x20:
                throw syntax("control character inside a string; escape it")
            default:
                offset += 1
            }
        }
        throw syntax("a string is not closed")
    }

    private mutating func number() throws {
        let start = offset
        if current == UInt8(ascii: "-") { offset += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw syntax("expected a digit")
        }
        var integral = true
        while let byte = current {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                offset += 1
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                integral = false
                offset += 1
            default:
                return try check(start: start, integral: integral)
            }
        }
        try check(start: start, integral: integral)
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

