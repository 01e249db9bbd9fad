import EKSNetCore

/// Which members of each object a decode read: every member a type never asked for is unknown to it. One per
/// decode, on one thread; kept cheap, since every request body is decoded with it: an object is known by its
/// members' storage (a second container on the same object shares the record), names are only copied for fields
/// the type asked for and did not find, and pointers are only built for objects with an unknown member.
final class FieldUse {
    private struct Object {
        let path: [any CodingKey]
        let members: [(String, JSONValue)]
        /// Where its members' flags start in `used`.
        let base: Int
    }

    // One decode on one thread: no dynamic exclusivity checks on these hot fields.
    @exclusivity(unchecked) private var objects: [Object] = []
    /// One flag per member of every object, object after object.
    @exclusivity(unchecked) private var used: [Bool] = []
    /// Names a type asked for that its object does not have, with their object (for suggestions): a flat list, since
    /// most optional fields are absent from most bodies and it is read only when a member is unknown.
    @exclusivity(unchecked) private var absent: [(object: Int, name: String)] = []
    @exclusivity(unchecked) private var byStorage: [UnsafeRawPointer: Int] = [:]

    /// Registers an object a keyed container reads; returns its handle.
    func register(path: [any CodingKey], members: [(String, JSONValue)]) -> Int {
        guard !members.isEmpty else { return -1 }
        let storage = members.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if let storage, let known = byStorage[storage] { return known }
        objects.append(Object(path: path, members: members, base: used.count))
        used.append(contentsOf: repeatElement(false, count: members.count))
        if let storage { byStorage[storage] = objects.count - 1 }
        return objects.count - 1
    }

    /// The type asked for `name`: found at `member`, or absent.
    func asked(_ object: Int, _ name: String, member: Int?) {
        guard object >= 0 else { return }
        if let member {
            used[objects[object].base + member] = true
        } else {
            absent.append((object, name))
        }
    }

    /// The type read every member (a dictionary).
    func usedAll(_ object: Int) {
        guard object >= 0 else { return }
        let entry = objects[object]
        for index in entry.base..<(entry.base + entry.members.count) { used[index] = true }
    }

    /// Most unknown members one body reports: past it, more only repeat the point and each costs a pointer.
    static let reportLimit = 100
    /// Most of them that get a suggestion: each costs an edit-distance search over the names the type knows.
    static let suggestionLimit = 20
    /// Names longer than this get no suggestion: no field of any request is that long, and the search's cost grows
    /// with the name's length (a 1 MB member name took half a second).
    static let suggestedNameLength = 64

    /// Members no container of their object asked for (at most `reportLimit`), with the closest name it did ask
    /// for.
    func unknownFields() -> [UnknownField] {
        guard used.contains(false) else { return [] }
        var absentByObject: [Int: [String]] = [:]
        for entry in absent { absentByObject[entry.object, default: []].append(entry.name) }
        var unknown: [UnknownField] = []
        for (number, object) in objects.enumerated() {
            let flags = used[object.base..<(object.base + object.members.count)]
            guard flags.contains(false) else { continue }
            let pointer = Self.pointer(object.path)
            var known: [String]?
            for (member, read) in zip(object.members, flags) where !read {
                guard unknown.count < Self.reportLimit else { return unknown }
                var suggestion: String?
                if unknown.count < Self.suggestionLimit, member.0.utf8.count <= Self.suggestedNameLength {
                    if known == nil {
                        known = (absentByObject[number] ?? []) + zip(object.members, flags).filter(\.1).map(\.0.0)
                    }
                    suggestion = Self.closest(to: member.0, in: known ?? [])
                }
                unknown.append(UnknownField(pointer: pointer.appending(member.0).description, suggestion: suggestion))
            }
        }
        return unknown
    }

    static func pointer(_ path: [any CodingKey]) -> JSONPointer {
        var pointer = JSONPointer.root
        for key in path { pointer = key.intValue.map { pointer / $0 } ?? pointer / key.stringValue }
        return pointer
    }

    /// The known name within a small edit distance (case ignored), if any.
    static func closest(to name: String, in known: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in Set(known).sorted() {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance <= max(2, target.count / 4), distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
