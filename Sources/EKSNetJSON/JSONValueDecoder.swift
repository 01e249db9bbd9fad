import EKSNetCore

/// Decodes any `Decodable` from a `JSONValue` through the standard `Decoder` protocols: no per-type code. It answers
/// as Foundation's `JSONDecoder` does — the same values, the same `DecodingError` cases with the same coding paths —
/// so that problems name the same fields (a property test holds it to that); what it saves is Foundation's second
/// reading of the bytes and its boxing.
public struct JSONValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: TreeDecoder(value: value, parentPath: [], key: nil, use: nil))
    }

    /// Decodes, and lists the members no field of the type reads (none under a passed-through document's
    /// pointers, see `PassesThroughDocuments`).
    public func decodeReportingUnknownFields<T: Decodable>(
        _ type: T.Type, from bytes: UnsafeRawBufferPointer
    ) throws -> (value: T, unknownFields: [UnknownField]) {
        guard let tree = JSONValue.parse(bytes) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON."))
        }
        let use = FieldUse()
        let value = try T(from: TreeDecoder(value: tree, parentPath: [], key: nil, use: use))
        var unknown = use.unknownFields()
        if let passing = T.self as? any PassesThroughDocuments.Type {
            let prefixes = passing.passedThroughPointers
            unknown.removeAll { field in prefixes.contains { field.pointer == $0 || field.pointer.hasPrefix($0 + "/") } }
        }
        return (value, unknown)
    }

    /// Parses validated bytes and decodes them; a `DecodingError.dataCorrupted` at the root when they do not parse.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        guard let value = JSONValue.parse(bytes) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON."))
        }
        return try decode(type, from: value)
    }
}

/// An array position in a coding path, as Foundation names it.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// A member name in a coding path (super decoders).
struct NameKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One value being decoded. Its coding path is kept as the parent's and a key, and joined only when a container
/// or an error needs it: scalars, most of a body, never build one.
struct TreeDecoder: Decoder {
    let value: JSONValue
    let parentPath: [any CodingKey]
    let key: (any CodingKey)?
    /// Which members were read, when the caller asked (nil: not tracked, nothing spent).
    let use: FieldUse?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var codingPath: [any CodingKey] {
        guard let key else { return parentPath }
        return parentPath + [key]
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let members):
            let path = codingPath
            let object = use?.register(path: path, members: members)
            return KeyedDecodingContainer(TreeKeyedContainer<Key>(members: members, codingPath: path, use: use, object: object))
        case .null:
            throw DecodingError.valueNotFound(
                [String: Any].self,
                .init(codingPath: codingPath, debugDescription: "Cannot get keyed decoding container -- found null value instead"))
        default:
            throw Self.mismatch([String: Any].self, value, codingPath)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .array(let elements):
            return TreeUnkeyedContainer(elements: elements, codingPath: codingPath, use: use)
        case .null:
            throw DecodingError.valueNotFound(
                [Any].self,
                .init(codingPath: codingPath, debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default:
            throw Self.mismatch([Any].self, value, codingPath)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        let found: String
        switch value {
        case .null: found = "null"
        case .bool: found = "bool"
        case .number: found = "number"
        case .string: found = "string"
        case .array: found = "array"
        case .object: found = "dictionary"
        }
        return DecodingError.typeMismatch(
            type, .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    /// Null where a value is required.
    func notNull(_ type: Any.Type) throws {
        if case .null = value {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
    }

    func bool() throws -> Bool {
        try notNull(Bool.self)
        guard case .bool(let flag) = value else { throw Self.mismatch(Bool.self, value, codingPath) }
        return flag
    }

    func string() throws -> String {
        try notNull(String.self)
        guard case .string(let text) = value else { throw Self.mismatch(String.self, value, codingPath) }
        return text
    }

    func number<T>(_ type: T.Type) throws -> String {
        try notNull(type)
        guard case .number(let text) = value else { throw Self.mismatch(type, value, codingPath) }
        return text
    }

    /// Digits straight into the type; a fraction or an exponent through a Double that must hold the integer
    /// exactly (`5.0`, `1e3`). Plain digits that overflow are refused, never rounded through a Double.
    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try number(type)
        if let exact = T(text, radix: 10) { return exact }
        if text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }),
            let double = Double(text), double.isFinite, let exact = T(exactly: double)
        {
            return exact
        }
        // Worded as the strict reader's diagnosis of the same number, so that every path says the same thing.
        let range = T.isSigned && T.bitWidth == 64 ? "within ±9,223,372,036,854,775,807" : "from \(T.min) to \(T.max)"
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath, debugDescription: "expected a whole number \(range), found \(text)"))
    }

    func double() throws -> Double {
        let text = try number(Double.self)
        guard let parsed = Double(text), parsed.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Parsed JSON number <\(text)> does not fit in Double."))
        }
        return parsed
    }

    func float() throws -> Float {
        let parsed = try double()
        guard abs(parsed) <= Double(Float.greatestFiniteMagnitude) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Parsed JSON number <\(parsed)> does not fit in Float."))
        }
        return Float(parsed)
    }
}

extension TreeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool() }
    func decode(_ type: String.Type) throws -> String { try string() }
    func decode(_ type: Double.Type) throws -> Double { try double() }
    func decode(_ type: Float.Type) throws -> Float { try float() }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

/// An object's members, looked up by name (objects in requests are small: a scan beats hashing).
struct TreeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(String, JSONValue)]
    let codingPath: [any CodingKey]
    let use: FieldUse?
    /// This object's handle in `use`.
    let object: Int?

    var allKeys: [Key] {
        if let use, let object { use.usedAll(object) }
        return members.compactMap { Key(stringValue: $0.0) }
    }

    func find(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        for (index, member) in members.enumerated() where member.0 == name {
            if let use, let object { use.asked(object, name, member: index) }
            return member.1
        }
        if let use, let object { use.asked(object, name, member: nil) }
        return nil
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decoder(for key: Key) throws -> TreeDecoder {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return TreeDecoder(value: value, parentPath: codingPath, key: key, use: use)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try decoder(for: key).decodeNil() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder(for: key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder(for: key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder(for: key).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder(for: key).float() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder(for: key).integer(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder(for: key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder(for: key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder(for: key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder(for: key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder(for: key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder(for: key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder(for: key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder(for: key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder(for: key).integer(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: decoder(for: key)) }

    // Optional fields with one lookup each (the protocol's defaults look a member up three times: contains,
    // decodeNil, decode). Absent or null is nil, as Foundation has it.
    func present(_ key: Key) -> TreeDecoder? {
        guard let value = find(key), value != .null else { return nil }
        return TreeDecoder(value: value, parentPath: codingPath, key: key, use: use)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key)?.bool() }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key)?.string() }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key)?.double() }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try present(key)?.float() }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try present(key)?.integer(type) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try present(key)?.integer(type) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(key).map { try T(from: $0) } }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: members.first { $0.0 == "super" }?.1 ?? .null, parentPath: codingPath, key: NameKey("super"), use: use)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: find(key) ?? .null, parentPath: codingPath, key: key, use: use)
    }
}

/// An array's elements, read in order.
struct TreeUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let use: FieldUse?
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], use: FieldUse?) {
        self.elements = elements
        self.codingPath = codingPath
        self.use = use
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next(_ type: Any.Type) throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(value: elements[currentIndex], parentPath: codingPath, key: IndexKey(currentIndex), use: use)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any?.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        if elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    /// Decodes the next element; the index moves on only when it succeeds (as Foundation's does).
    mutating func element<T>(_ type: T.Type, _ read: (TreeDecoder) throws -> T) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        let result = try read(TreeDecoder(value: elements[currentIndex], parentPath: codingPath, key: IndexKey(currentIndex), use: use))
        currentIndex += 1
        return result
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try element(type) { try $0.bool() } }
    mutating func decode(_ type: String.Type) throws -> String { try element(type) { try $0.string() } }
    mutating func decode(_ type: Double.Type) throws -> Double { try element(type) { try $0.double() } }
    mutating func decode(_ type: Float.Type) throws -> Float { try element(type) { try $0.float() } }
    mutating func decode(_ type: Int.Type) throws -> Int { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) { try $0.integer(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) { try $0.integer(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) { try T(from: $0) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try element(KeyedDecodingContainer<NestedKey>.self) { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try element((any UnkeyedDecodingContainer).self) { try $0.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next(Any.self)
    }
}
