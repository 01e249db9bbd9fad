/// Diagnoses a cluster that runs out of addresses at a target size and weighs the ways out AWS documents — prefix
/// delegation, warm-pool tuning, a secondary CIDR with custom networking, subnet discovery, new node subnets, an
/// IPv6 cluster — each as a changed plan evaluated at the target by the same evaluator as `/v1/plans`, so that
/// "feasible" means exactly "this plan has no error".
public enum RemediationAdvisor {
    /// The sizes a target may ask for: a node group's own bounds.
    public static let maxSizeRange = NodeGroupInput.sizeRange
    public static let podsPerNodeRange = 1...737

    public static func advise(_ request: RemediationRequest, aws: AWSData) throws(ValidationFailure)
        -> RemediationResult
    {
        let (plan, assumptions) = try basePlan(request, aws: aws)
        let now = try PlanEvaluator.evaluate(plan, aws: aws)
        let grown = try grow(plan, to: request.target)
        let situation = try RemediationSituation(plan: grown, aws: aws)
        var options = [
            prefixDelegation(situation),
            warmPoolTuning(situation),
            secondaryCIDRCustomNetworking(situation),
            subnetDiscovery(situation),
            newNodeSubnets(situation),
            ipv6Cluster(situation),
        ]
        options.sort { a, b in
            if a.feasible != b.feasible { return a.feasible }
            if a.disruption != b.disruption { return a.disruption < b.disruption }
            if a.addressesGained != b.addressesGained { return a.addressesGained > b.addressesGained }
            return a.kind.rawValue < b.kind.rawValue
        }
        return RemediationResult(
            clusterName: plan.clusterName, diagnosis: diagnose(situation, now: now), options: options,
            assumptions: assumptions)
    }

    /// Checks the request as `advise` would, without weighing the options.
    public static func validate(_ request: RemediationRequest, aws: AWSData) throws(ValidationFailure) {
        let (plan, _) = try basePlan(request, aws: aws)
        _ = try PlanContext(try grow(plan, to: request.target), aws: aws)
    }

    /// The plan to grow: the request's, or the one an audit derives (running nodes as the audit counts them).
    static func basePlan(_ request: RemediationRequest, aws: AWSData) throws(ValidationFailure)
        -> (ClusterPlan, [String])
    {
        switch (request.plan, request.audit) {
        case (let plan?, nil):
            return (plan, [
                "Running nodes are counted as each node group's runningNodes (0 when not given): an existing subnet's "
                    + "availableIpAddressCount already excludes their addresses, so only the growth to the target is added."
            ])
        case (nil, let audit?):
            let derived = try VPCAuditor.derive(audit, aws: aws)
            return (derived.plan, [
                "The plan is the audit's: running nodes are each group's runningNodes, or its desiredSize when not given "
                    + "(describe-subnets already counts their addresses), so only the growth to the target is added."
            ])
        default:
            throw ValidationFailure([FieldIssue(pointer: "", message: "give either plan or audit (one of them)")])
        }
    }

    /// The plan with the target's node group sizes (and pods per node).
    static func grow(_ plan: ClusterPlan, to target: RemediationRequest.Target) throws(ValidationFailure) -> ClusterPlan {
        var grown = plan
        var issues = IssueCollector()
        if target.nodeGroups.isEmpty { issues.add(.root / "target" / "nodeGroups", "name at least one node group and its new maxSize") }
        var seen: Set<String> = []
        for (position, wanted) in target.nodeGroups.prefix(100).enumerated() {
            let pointer = JSONPointer.root / "target" / "nodeGroups" / position
            guard seen.insert(wanted.name).inserted else {
                issues.add(pointer / "name", "node group '\(wanted.name.prefix(64))' is named twice")
                continue
            }
            guard let index = grown.nodeGroups?.firstIndex(where: { $0.name == wanted.name }) else {
                let known = (plan.nodeGroups ?? []).map(\.name).joined(separator: ", ")
                issues.add(pointer / "name", "the plan has no node group '\(wanted.name.prefix(64))' (it has \(known.isEmpty ? "none" : known))")
                continue
            }
            issues.check(wanted.maxSize, in: maxSizeRange, at: pointer / "maxSize", "maxSize")
            if let pods = wanted.podsPerNode { issues.check(pods, in: podsPerNodeRange, at: pointer / "podsPerNode", "podsPerNode") }
            guard maxSizeRange.contains(wanted.maxSize) else { continue }
            guard var group = grown.nodeGroups?[index] else { continue }
            group.maxSize = wanted.maxSize
            group.minSize = min(group.minSize, wanted.maxSize)
            group.desiredSize = group.desiredSize.map { min($0, wanted.maxSize) }
            group.runningNodes = group.runningNodes.map { min($0, wanted.maxSize) }
            if let pods = wanted.podsPerNode, podsPerNodeRange.contains(pods) { group.maxPods = pods }
            grown.nodeGroups?[index] = group
        }
        if target.nodeGroups.count > 100 { issues.add(.root / "target" / "nodeGroups", "at most 100 node groups") }
        if !issues.issues.isEmpty { throw ValidationFailure(issues.issues) }
        return grown
    }

    static func diagnose(_ situation: RemediationSituation, now: PlanEvaluation) -> RemediationResult.Diagnosis {
        let evaluation = situation.evaluation
        let exhausted = evaluation.subnets.filter { $0.headroomAddresses < 0 }.map {
            RemediationResult.ExhaustedSubnet(
                subnetId: $0.subnetId, availabilityZone: $0.availabilityZone, cidrBlock: $0.cidrBlock,
                usableAddresses: $0.usableAddresses, addressesInUse: $0.addressesInUse,
                projectedAddresses: $0.projectedAddresses, shortBy: -$0.headroomAddresses)
        }
        let blocksShort = evaluation.subnets.contains { ($0.prefixBlocks?.worstCaseBlockHeadroom ?? 0) < 0 }
        let binding: String
        if !exhausted.isEmpty {
            binding = "subnet-addresses"
        } else if blocksShort {
            binding = "aligned-28-blocks"
        } else {
            binding = evaluation.capacity.first?.bindingLimit.rawValue ?? "none"
        }
        let errors = evaluation.findings.filter { $0.severity == .error }
        let summary: String
        if exhausted.isEmpty {
            summary = blocksShort
                ? "the subnets have the addresses but too few free aligned /28 blocks for prefix delegation at the target"
                : "the subnets hold the target (\(evaluation.verdict.rawValue))"
        } else {
            let missing = exhausted.reduce(0) { $0 + $1.shortBy }
            summary = "\(exhausted.count) subnet\(exhausted.count == 1 ? "" : "s") run out at the target, "
                + "\(missing.grouped) addresses short: " + exhausted.map { "\($0.subnetId) by \($0.shortBy.grouped)" }.joined(separator: ", ")
        }
        return RemediationResult.Diagnosis(
            verdictNow: now.verdict, verdictAtTarget: evaluation.verdict, exhaustedSubnets: exhausted,
            bindingLimit: binding, errors: errors, summary: summary)
    }

    /// Evaluates a changed plan and fills the option's gains and verdict; an option whose preconditions failed
    /// keeps its reason.
    static func finish(
        _ option: inout RemediationOption, plan: ClusterPlan?, situation: RemediationSituation, preconditionFailure: String? = nil
    ) {
        guard let plan else {
            option.feasible = false
            option.reason = preconditionFailure ?? option.reason
            return
        }
        option.planAfter = plan
        let after: PlanEvaluation
        do {
            after = try PlanEvaluator.evaluate(plan, aws: situation.aws)
        } catch {
            option.feasible = false
            option.reason = "the changed plan does not resolve: " + error.issues.map(\.message).joined(separator: "; ")
            return
        }
        let errors = after.findings.filter { $0.severity == .error }
        option.evaluationAfter = .init(
            verdict: after.verdict, errors: after.summary.errors, warnings: after.summary.warnings, errorFindings: errors)
        option.addressesGained = RemediationSituation.headroom(after) - RemediationSituation.headroom(situation.evaluation)
        option.podsGained = RemediationSituation.podCapacity(after) - RemediationSituation.podCapacity(situation.evaluation)
        if let preconditionFailure {
            option.feasible = false
            option.reason = preconditionFailure
        } else if errors.isEmpty {
            option.feasible = true
        } else {
            option.feasible = false
            option.reason = "still blocked at the target: "
                + errors.prefix(3).map { "\($0.ruleId) \($0.message)" }.joined(separator: "; ")
        }
    }

    static func option(_ kind: RemediationOption.Kind, _ title: String, _ disruption: RemediationOption.Disruption) -> RemediationOption {
        RemediationOption(
            kind: kind, title: title, feasible: false, reason: nil, addressesGained: 0, podsGained: 0,
            disruption: disruption, cost: .init(ec2CallsPerHour: nil, needs: []), planAfter: nil, evaluationAfter: nil,
            steps: [], simulation: nil)
    }

    /// The VPC CNI version the plan names, or the current one.
    static func cniVersion(_ plan: ClusterPlan) -> CNIVersion {
        plan.cni?.version.flatMap { try? CNIVersion(parsing: $0) } ?? .current
    }

    /// `kubectl set env` on the aws-node DaemonSet.
    static func setEnv(_ variables: [(String, String)]) -> String {
        "kubectl set env daemonset aws-node -n kube-system " + variables.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// Rolling every node group so that new nodes start with the change.
    static func rollNodeGroups(_ plan: ClusterPlan) -> RemediationOption.Step {
        .init(
            "Replace the nodes so that new ones start with the change (managed node groups: a new launch template "
                + "version or an AMI update rolls them; Karpenter: drift replaces them).",
            commands: (plan.nodeGroups ?? []).map {
                "aws eks update-nodegroup-version --region \(plan.region) --cluster-name \(plan.clusterName) --nodegroup-name \($0.name) --force"
            })
    }
}
