/// One rule of the plan catalog, declared once: what it checks, how bad it is, the AWS (EKS, VPC CNI, load
/// balancer controller) behaviour it encodes, what to do, and where that behaviour is documented. Findings are made
/// from it, `GET /v1/rules` serves it, and `eksnet rules` prints it.
public struct PlanRuleDescription: Codable, Sendable, Equatable, Identifiable {
    /// Whether the evaluator emits findings of this rule.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Evaluated on every plan; its findings carry this id.
        case checked
        /// Shown as a tag change (with this id) in the tag suggestions, not as a finding.
        case tagSuggestion = "tag-suggestion"
        /// In the catalog for completeness; a plan does not carry what it needs (see `notCheckedBecause`).
        case notChecked = "not-checked"
    }

    /// A document or source file the rule follows.
    public struct Source: Codable, Sendable, Equatable {
        /// The key used in the catalog (`EKS-NET`, `LBC-CODE`).
        public let name: String
        public let url: String

        public init(_ name: String, _ url: String) {
            self.name = name
            self.url = url
        }
    }

    /// Stable across releases (`SUB-002`).
    public let id: String
    public let severity: Severity
    /// A few words for lists and reports.
    public let title: String
    /// When the rule fires.
    public let when: String
    /// The behaviour of AWS, EKS or a controller that the rule encodes.
    public let behaviour: String
    /// What to do; findings give the same advice with the plan's own names and numbers.
    public let fix: String
    public let sources: [Source]
    public let status: Status
    public let notCheckedBecause: String?

    init(
        _ id: String, _ severity: Severity, _ title: String, when: String, behaviour: String, fix: String,
        sources: [Source], status: Status, notCheckedBecause: String? = nil
    ) {
        self.id = id
        self.severity = severity
        self.title = title
        self.when = when
        self.behaviour = behaviour
        self.fix = fix
        self.sources = sources
        self.status = status
        self.notCheckedBecause = notCheckedBecause
    }
}
