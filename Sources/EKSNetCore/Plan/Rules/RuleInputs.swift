/// Everything a rule may read: the resolved plan, the subnet budget and the tag plan.
struct RuleInputs {
    let context: PlanContext
    let budgets: [SubnetBudget]
    /// Free addresses per subnet after nodes, pods and control plane, before load balancers.
    let freeBeforeLoadBalancers: [Int]
    let tags: SubnetTagPlan

    var plan: ClusterPlan { context.plan }
    var subnets: [PlanContext.ResolvedSubnet] { context.subnets }

    func subnet(_ index: Int) -> PlanContext.ResolvedSubnet { context.subnets[index] }
}

/// A rule: an id, a severity and a check.
struct PlanRule: Sendable {
    let id: String
    let severity: Severity
    let run: @Sendable (RuleInputs, PlanRule) -> [PlanFinding]

    /// A checked rule of the catalog: its severity is the catalog's, and its findings are made with `finding`.
    init(_ id: String, _ check: @escaping @Sendable (RuleInputs, PlanRule) -> [PlanFinding]) {
        guard let description = PlanRuleCatalog.rule(id), description.status == .checked else {
            preconditionFailure("rule \(id) is not a checked rule of PlanRuleCatalog")
        }
        self.id = id
        self.severity = description.severity
        self.run = check
    }

    func check(_ inputs: RuleInputs) -> [PlanFinding] {
        run(inputs, self)
    }

    /// A finding of this rule.
    func finding(_ pointer: String, _ message: String, fix: String) -> PlanFinding {
        PlanFinding(id, severity, pointer, message, fix: fix)
    }
}
