/// How bad a finding is.
public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    /// AWS or EKS rejects it, or the cluster will not work.
    case error
    /// It works, but a documented failure mode is ahead.
    case warning
    /// A fact to show, or a suggestion.
    case info

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        let order: [Severity] = [.error, .warning, .info]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// One thing a plan gets wrong (or a fact about it), located in the plan, with what to do.
public struct PlanFinding: Hashable, Codable, Sendable {
    /// The catalog id (`SUB-002`); stable across releases.
    public var ruleId: String
    public var severity: Severity
    /// JSON pointer to the field at fault.
    public var pointer: String
    /// What is wrong, with the numbers.
    public var message: String
    /// What to do about it.
    public var fix: String

    public init(_ ruleId: String, _ severity: Severity, _ pointer: String, _ message: String, fix: String) {
        self.ruleId = ruleId
        self.severity = severity
        self.pointer = pointer
        self.message = message
        self.fix = fix
    }
}

/// The overall answer for a plan.
public enum PlanVerdict: String, Codable, Sendable {
    /// At least one error: EKS or AWS will refuse it, or the cluster will not work.
    case blocked
    case readyWithWarnings = "ready-with-warnings"
    case ready
}
