import Foundation

/// Writes JSON straight into bytes as `Encodable` values encode themselves: no intermediate tree, keys in the order
/// the type encodes them (declaration order for synthesized conformances), dictionaries with string keys sorted by
/// key. Generic over every `Encodable` through the standard `Encoder` protocols, with the same JSON as Foundation's
/// JSONEncoder (a test holds it to that) and a fraction of its cost (`eksnet-bench capacity`): values JSON has
/// natively are written without an encoder, and coding paths are only built for an error.
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> [UInt8] {
        let sink = JSONSink()
        try sink.write(value, parent: nil, key: nil)
        return sink.bytes
    }
}

/// A value JSON holds natively: written by the sink itself, without an encoder.
protocol JSONScalar {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) throws
}

extension String: JSONScalar {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) { sink.writeString(self) }
}

extension Bool: JSONScalar {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) { sink.append(self ? "true" : "false") }
}

extension Double: JSONScalar {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) throws { try sink.writeDouble(self, codingPath: path()) }
}

extension Float: JSONScalar {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) throws { try sink.writeDouble(Double(self), codingPath: path()) }
}

extension Date: JSONScalar {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) { sink.writeString(formatted(JSONSink.iso8601)) }
}

/// Integers of every width.
protocol JSONInteger: JSONScalar, BinaryInteger {}

extension JSONInteger {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) { sink.writeInteger(self) }
}

extension Int: JSONInteger {}
extension Int8: JSONInteger {}
extension Int16: JSONInteger {}
extension Int32: JSONInteger {}
extension Int64: JSONInteger {}
extension UInt: JSONInteger {}
extension UInt8: JSONInteger {}
extension UInt16: JSONInteger {}
extension UInt32: JSONInteger {}
extension UInt64: JSONInteger {}

/// String-keyed dictionaries, written with their keys sorted so that the output does not depend on hash order.
extension Dictionary: JSONScalar where Key == String, Value: Encodable {
    func write(to sink: JSONSink, path: () -> [any CodingKey]) throws {
        sink.append(UInt8(ascii: "{"))
        let base = path()
        for (index, key) in keys.sorted().enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            sink.writeString(key)
            sink.append(UInt8(ascii: ":"))
            // Safe: the key was read from the dictionary.
            try sink.write(self[key]!, parent: nil, key: nil, explicitPath: base + [NameKey(key)])
        }
        sink.append(UInt8(ascii: "}"))
    }
}

/// The growing output, shared by every container of one encoding: a buffer of its own, so that an append is a
/// copy and a count, without the uniqueness and exclusivity checks an array property costs on every byte.
final class JSONSink {
    // One encoding runs on one thread and nothing else sees the sink until it is done.
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0
    /// Types seen not to be scalars in this encoding (a handful): asked of the runtime once each.
    @exclusivity(unchecked) private var composites: [ObjectIdentifier] = []

    init(capacity: Int = 4096) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// What has been written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    @inline(__always) private func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        let grown = max(capacity * 2, count + more)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity = grown
    }

    @inline(__always) func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let base = run.baseAddress, run.count > 0 else { return }
        reserve(run.count)
        (storage + count).update(from: base, count: run.count)
        count += run.count
    }

    func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func writeInteger(_ value: some BinaryInteger) {
        guard let wide = Int64(exactly: value) else {
            // Past Int64 (a UInt64 above Int64.max): rare enough for the general path.
            var text = String(value)
            text.withUTF8 { append($0) }
            return
        }
        if wide < 0 { append(UInt8(ascii: "-")) }
        var magnitude = wide.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    func writeString(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            append(UInt8(ascii: "\""))
            var start = 0
            var index = 0
            let count = utf8.count
            guard let base = utf8.baseAddress else {
                append(UInt8(ascii: "\""))
                return
            }
            while index < count {
                // Eight bytes at a time while none needs escaping (a control character, '"' or '\\').
                if index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    if !Self.needsEscape(word) {
                        index += 8
                        continue
                    }
                }
                let byte = base[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
                    index += 1
                    continue
                }
                append(UnsafeBufferPointer(start: base + start, count: index - start))
                index += 1
                start = index
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    append("\\u00")
                    append(hex.utf8Start[Int(byte >> 4)])
                    append(hex.utf8Start[Int(byte & 15)])
                }
            }
            append(UnsafeBufferPointer(start: base + start, count: count - start))
            append(UInt8(ascii: "\""))
        }
    }

    /// Whether any of eight bytes is below 0x20, '"' or '\\' (the classic "has a byte less than / equal to" bit
    /// tests, exact for every byte value).
    @inline(__always) static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
    }

    func writeDouble(_ value: Double, codingPath: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath(), debugDescription: "\(value) is not valid JSON"))
        }
        if value == value.rounded(), abs(value) < 1e15 {
            writeInteger(Int64(value))
        } else {
            var text = value.description
            text.withUTF8 { append($0) }
        }
    }

    static let iso8601: Date.ISO8601FormatStyle = .iso8601

    /// Writes any value: one cast finds the values JSON has natively; anything else encodes itself.
    func write<T: Encodable>(
        _ value: T, parent: StreamingEncoder?, key: (any CodingKey)?, explicitPath: [any CodingKey]? = nil
    ) throws {
        let codingPath = { explicitPath ?? (parent.map { $0.codingPath } ?? []) + (key.map { [$0] } ?? []) }
        // Most values that reach here are structs and arrays: asking the runtime whether each one is a scalar cost
        // more than writing it, so the common scalars are told apart by their type first (as Foundation's encoder
        // does for its own special types), and only the rest are asked.
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(String.self): return writeString(value as! String)
        case ObjectIdentifier(Int.self): return writeInteger(value as! Int)
        case ObjectIdentifier(Bool.self): return append((value as! Bool) ? "true" : "false")
        case ObjectIdentifier(Double.self): return try writeDouble(value as! Double, codingPath: codingPath())
        default: break
        }
        let type = ObjectIdentifier(T.self)
        if !composites.contains(type) {
            if let scalar = value as? any JSONScalar {
                try scalar.write(to: self, path: codingPath)
                return
            }
            composites.append(type)
        }
        let encoder = StreamingEncoder(sink: self, parent: parent, key: key)
        encoder.explicitPath = explicitPath
        try value.encode(to: encoder)
        encoder.finish()
    }
}

/// One value being encoded: it becomes an object, an array or a single value, whichever container it asks for.
final class StreamingEncoder: Encoder {
    enum State { case empty, object, array, single }

    let sink: JSONSink
    /// Where this value sits, kept as a parent and a key: the path is built only when an error needs it.
    let parent: StreamingEncoder?
    let key: (any CodingKey)?
    /// A path given outright (values inside a dictionary written by the sink).
    var explicitPath: [any CodingKey]?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    // Single-threaded, as the sink (see there).
    @exclusivity(unchecked) var state = State.empty
    @exclusivity(unchecked) var count = 0
    /// A nested container or super-encoder whose output is written when this encoder writes next or finishes.
    @exclusivity(unchecked) var pendingChild: StreamingEncoder?

    init(sink: JSONSink, parent: StreamingEncoder?, key: (any CodingKey)?) {
        self.sink = sink
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        if let explicitPath { return explicitPath }
        return (parent?.codingPath ?? []) + (key.map { [$0] } ?? [])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.object)
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(.array)
        return StreamingUnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(encoder: self)
    }

    func open(_ kind: State) {
        settlePendingChild()
        guard state == .empty else { return }
        state = kind
        sink.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    func settlePendingChild() {
        if let child = pendingChild {
            pendingChild = nil
            child.finish()
        }
    }

    /// Writes the separator and the key of an object member; then the caller writes the value.
    func beginMember(_ key: some CodingKey) {
        beginElement()
        sink.writeString(key.stringValue)
        sink.append(UInt8(ascii: ":"))
    }

    /// Writes the separator before an array element or an object member.
    func beginElement() {
        settlePendingChild()
        if count > 0 { sink.append(UInt8(ascii: ",")) }
        count += 1
    }

    func finish() {
        settlePendingChild()
        switch state {
        case .object: sink.append(UInt8(ascii: "}"))
        case .array: sink.append(UInt8(ascii: "]"))
        case .empty: sink.append("{}")
        case .single: break
        }
    }

    /// A nested container's encoder, written out when this one moves on.
    func child(key: (any CodingKey)?) -> StreamingEncoder {
        if let key { beginMember(key) } else { beginElement() }
        let child = StreamingEncoder(sink: sink, parent: self, key: key)
        pendingChild = child
        return child
    }
}

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StreamingEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.beginMember(key)
        encoder.sink.append("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        encoder.beginMember(key)
        try encoder.sink.write(value, parent: encoder, key: key)
    }

    // Concrete overloads for the common scalar fields: no cast, no encoder.
    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.beginMember(key)
        encoder.sink.writeString(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        encoder.beginMember(key)
        encoder.sink.writeInteger(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        encoder.beginMember(key)
        encoder.sink.append(value ? "true" : "false")
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        encoder.beginMember(key)
        try encoder.sink.writeDouble(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        encoder.child(key: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.child(key: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.child(key: NameKey("super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.child(key: key)
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StreamingEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.count }

    mutating func encodeNil() throws {
        encoder.beginElement()
        encoder.sink.append("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = encoder.count
        encoder.beginElement()
        try encoder.sink.write(value, parent: encoder, key: IndexKey(index))
    }

    mutating func encode(_ value: String) throws {
        encoder.beginElement()
        encoder.sink.writeString(value)
    }

    mutating func encode(_ value: Int) throws {
        encoder.beginElement()
        encoder.sink.writeInteger(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.child(key: nil).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.child(key: nil).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.child(key: nil)
    }
}

struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let encoder: StreamingEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.state = .single
        encoder.sink.append("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.state = .single
        try encoder.sink.write(value, parent: encoder.parent, key: encoder.key)
    }

    mutating func encode(_ value: String) throws {
        encoder.state = .single
        encoder.sink.writeString(value)
    }

    mutating func encode(_ value: Int) throws {
        encoder.state = .single
        encoder.sink.writeInteger(value)
    }
}
