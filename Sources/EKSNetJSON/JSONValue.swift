/// A JSON document as a tree, read from bytes that `JSONDiagnosis.validate` has accepted: what `JSONValueDecoder`
/// decodes any `Decodable` from. Numbers keep their text, so each field reads them as its own type does.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written (`-12`, `3.5e2`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in the order written; names are unique (the validation refused duplicates).
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Reads a validated document; nil if the bytes are not one JSON value (which validation would have said).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> JSONValue? {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhitespace()
        return reader.offset == bytes.count ? value : nil
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func skipWhitespace() {
            while offset < bytes.count {
                switch bytes[offset] {
                case 0x20, 0x0A, 0x0D, 0x09: offset += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth <= JSONDiagnosis.maximumDepth, offset < bytes.count else { return nil }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var members: [(String, JSONValue)] = []
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                    offset += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard let key = string() else { return nil }
                    skipWhitespace()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return nil }
                    offset += 1
                    skipWhitespace()
                    guard let member = value(depth: depth + 1) else { return nil }
                    members.append((key, member))
                    skipWhitespace()
                    guard offset < bytes.count else { return nil }
                    if bytes[offset] == UInt8(ascii: ",") {
                        offset += 1
                        continue
                    }
                    guard bytes[offset] == UInt8(ascii: "}") else { return nil }
                    offset += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                offset += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                    offset += 1
                    return .array(elements)
                }
                while true {
                    skipWhitespace()
                    guard let element = value(depth: depth + 1) else { return nil }
                    elements.append(element)
                    skipWhitespace()
                    guard offset < bytes.count else { return nil }
                    if bytes[offset] == UInt8(ascii: ",") {
                        offset += 1
                        continue
                    }
                    guard bytes[offset] == UInt8(ascii: "]") else { return nil }
                    offset += 1
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                return number()
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
            let count = word.utf8CodeUnitCount
            guard offset + count <= bytes.count else { return nil }
            for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return nil }
            offset += count
            return value
        }

        /// The number's text, up to the first byte that cannot be part of it (validation checked the grammar).
        mutating func number() -> JSONValue? {
            let start = offset
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    offset += 1
                default:
                    return offset > start ? .number(text(start..<offset)) : nil
                }
            }
            return offset > start ? .number(text(start..<offset)) : nil
        }

        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// A string with its escapes resolved.
        mutating func string() -> String? {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
            let start = offset + 1
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    offset = index + 1
                    return text(start..<index)
                case UInt8(ascii: "\\"):
                    return escapedString(from: start)
                default:
                    index += 1
                }
            }
            return nil
        }

        /// The slow path of `string()`: bytes copied one by one, escapes decoded (surrogate pairs joined).
        mutating func escapedString(from start: Int) -> String? {
            var scalars = String.UnicodeScalarView()
            var utf8: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    flush()
                    offset = index + 1
                    return String(scalars)
                }
                guard byte == UInt8(ascii: "\\") else {
                    utf8.append(byte)
                    index += 1
                    continue
                }
                guard index + 1 < bytes.count else { return nil }
                let escape = bytes[index + 1]
                index += 2
                switch escape {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4(at: index) else { return nil }
                    index += 4
                    var code = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit) {
                        // Validation refused lone surrogates: a low one follows.
                        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u"), let low = hex4(at: index + 2), (0xDC00...0xDFFF).contains(low)
                        else { return nil }
                        index += 6
                        code = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    flush()
                    scalars.append(scalar)
                default:
                    return nil
                }
            }
            return nil
        }

        func hex4(at index: Int) -> UInt16? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt16 = 0
            for position in index..<(index + 4) {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
            }
            return value
        }
    }
}
