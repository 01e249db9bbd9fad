import EKSNetCore

/// Which members of each object a decode read: every member a type never asked for is unknown to it. One per
/// decode, on one thread.
final class FieldUse {
    private struct Object {
        let path: [any CodingKey]
        let members: [String]
        var used: [Bool]
        /// Names the type asked for (repeats allowed: only read for suggestions).
        var asked: [String] = []
    }

    private var objects: [Object] = []

    /// Registers an object a keyed container reads; returns its handle.
    func register(path: [any CodingKey], members: [(String, JSONValue)]) -> Int {
        objects.append(Object(path: path, members: members.map(\.0), used: Array(repeating: false, count: members.count)))
        return objects.count - 1
    }

    /// The type asked for `name` (found at `member`, or absent).
    func asked(_ object: Int, _ name: String, member: Int?) {
        objects[object].asked.append(name)
        if let member { objects[object].used[member] = true }
    }

    /// The type read every member (a dictionary).
    func usedAll(_ object: Int) {
        objects[object].used = objects[object].used.map { _ in true }
    }

    /// Members no container of their object asked for, with the closest name it did ask for.
    func unknownFields() -> [UnknownField] {
        var byPointer: [String: (members: [String], used: [Bool], asked: [String])] = [:]
        var order: [JSONPointer] = []
        for object in objects {
            let objectPointer = Self.pointer(object.path)
            let pointer = objectPointer.description
            if var merged = byPointer[pointer], merged.members == object.members {
                merged.used = zip(merged.used, object.used).map { $0 || $1 }
                merged.asked += object.asked
                byPointer[pointer] = merged
            } else if byPointer[pointer] == nil {
                byPointer[pointer] = (object.members, object.used, object.asked)
                order.append(objectPointer)
            }
        }
        var unknown: [UnknownField] = []
        for objectPointer in order {
            guard let object = byPointer[objectPointer.description] else { continue }
            for (index, name) in object.members.enumerated() where !object.used[index] {
                unknown.append(
                    UnknownField(
                        pointer: objectPointer.appending(name).description,
                        suggestion: Self.closest(to: name, in: object.asked)))
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
