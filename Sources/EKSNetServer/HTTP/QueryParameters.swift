import EKSNetCore
import Hummingbird

/// Typed, bounded reads of query parameters; every bad value is collected as an issue naming the parameter.
struct QueryParameters {
    let parameters: [Substring: Substring]
    private(set) var issues: [FieldIssue] = []

    init(_ request: Request) {
        // The last value wins when a parameter repeats.
        parameters = Dictionary(request.uri.queryParameters.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    func string(_ name: String) -> String? {
        parameters[Substring(name)].map(String.init)
    }

    mutating func bool(_ name: String) -> Bool? {
        guard let text = parameters[Substring(name)] else { return nil }
        switch text.lowercased() {
        case "true", "1", "": return true
        case "false", "0": return false
        default:
            issues.append(FieldIssue(parameter: name, message: "'\(text.prefix(40))' is not a boolean; use true or false"))
            return nil
        }
    }

    mutating func int(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = parameters[Substring(name)] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            issues.append(
                FieldIssue(
                    parameter: name,
                    message: "'\(text.prefix(40))' is not a whole number between \(range.lowerBound) and \(range.upperBound)"))
            return nil
        }
        return value
    }

    mutating func oneOf<T: RawRepresentable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String, T: CaseIterable {
        guard let text = parameters[Substring(name)] else { return nil }
        guard let value = T(rawValue: String(text)) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            issues.append(FieldIssue(parameter: name, message: "'\(text.prefix(40))' is not one of \(allowed)"))
            return nil
        }
        return value
    }

    mutating func add(_ name: String, _ message: String) {
        issues.append(FieldIssue(parameter: name, message: message))
    }

    /// Throws a 422 listing every bad parameter.
    func throwIfInvalid() throws(Problem) {
        if !issues.isEmpty { throw Problem.invalid(issues) }
    }
}
