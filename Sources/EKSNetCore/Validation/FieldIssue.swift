/// One thing wrong with a request, located by a JSON pointer into the body (RFC 6901) or by a query parameter.
public struct FieldIssue: Hashable, Codable, Sendable {
    /// JSON pointer to the field at fault (`/nodeGroups/0/maxSize`); nil for a query parameter.
    public var pointer: String?
    /// The query parameter at fault; nil for a body field.
    public var parameter: String?
    /// What is wrong and what to do, with the numbers.
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.parameter = nil
        self.message = message
    }

    public init(parameter: String, message: String) {
        self.pointer = nil
        self.parameter = parameter
        self.message = message
    }
}

/// Input that is well formed but not valid, with every issue found (not just the first).
public struct ValidationFailure: Error, Hashable, Sendable {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }
}

/// Builds JSON pointers, escaping `~` and `/` in keys as RFC 6901 asks.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    public private(set) var description: String

    /// The whole document.
    public static let root = JSONPointer(description: "")

    init(description: String) {
        self.description = description
    }

    /// The pointer to a member of this object.
    public func appending(_ key: String) -> JSONPointer {
        // Pointers are built for every node group of every request: keys without '~' or '/' (all of eksnet's own)
        // are appended as they are.
        if !key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) {
            return JSONPointer(description: description + "/" + key)
        }
        var escaped = ""
        for character in key {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return JSONPointer(description: description + "/" + escaped)
    }

    /// The pointer to an element of this array.
    public func appending(_ index: Int) -> JSONPointer {
        JSONPointer(description: description + "/\(index)")
    }

    public static func / (lhs: JSONPointer, rhs: String) -> JSONPointer { lhs.appending(rhs) }
    public static func / (lhs: JSONPointer, rhs: Int) -> JSONPointer { lhs.appending(rhs) }
}

/// Collects issues while a request is checked.
public struct IssueCollector: Sendable {
    public private(set) var issues: [FieldIssue] = []
    /// "Did you mean" searches left for this input: each is an edit-distance search over a catalog, and a body of
    /// 2,000 misspelt instance types must not cost a second (issue 28).
    public private(set) var suggestionsLeft = IssueCollector.suggestionLimit
    public static let suggestionLimit = 10

    public init() {}

    /// Whether one more suggestion may be searched for; counts it.
    public mutating func takeSuggestion() -> Bool {
        guard suggestionsLeft > 0 else { return false }
        suggestionsLeft -= 1
        return true
    }

    public mutating func add(_ pointer: JSONPointer, _ message: String) {
        issues.append(FieldIssue(pointer: pointer.description, message: message))
    }

    /// Checks that an integer lies in a range; returns whether it does.
    @discardableResult
    public mutating func check(
        _ value: Int, in range: ClosedRange<Int>, at pointer: @autoclosure () -> JSONPointer, _ what: @autoclosure () -> String
    ) -> Bool {
        // The pointer and the wording are built only for a failure: checks run for every field of every request.
        guard range.contains(value) else {
            add(pointer(), "\(what()) is \(value); it must be between \(range.lowerBound) and \(range.upperBound)")
            return false
        }
        return true
    }

    /// Throws the collected issues, if any.
    public func throwIfAny() throws(ValidationFailure) {
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}
