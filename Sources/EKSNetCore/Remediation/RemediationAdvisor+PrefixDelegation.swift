extension RemediationAdvisor {
    /// Prefix delegation (VPC CNI 1.9.0+, Nitro instances): /28 prefixes instead of single addresses per ENI slot.
    /// It lifts the per-node pod limit; whether it eases the subnets is the evaluation's to say, since a node then
    /// holds whole /28 blocks and needs them free and aligned (PD-003 names the reservation that keeps them).
    static func prefixDelegation(_ situation: RemediationSituation) -> RemediationOption {
        let plan = situation.plan
        var option = option(.prefixDelegation, "Turn on prefix delegation", .rollingNodeReplacement)
        option.cost.needs = ["VPC CNI 1.9.0 or later", "Nitro instance types", "free aligned /28 blocks in the node subnets"]
        if plan.cni?.prefixDelegation == true {
            finish(&option, plan: nil, situation: situation, preconditionFailure: "prefix delegation is already on")
            return option
        }
        var failure: String?
        let version = cniVersion(plan)
        if !version.supportsPrefixDelegation {
            failure = "the VPC CNI \(version) is older than 1.9.0, the first with prefix delegation: upgrade the add-on first"
        }
        let notNitro = Set((plan.nodeGroups ?? []).flatMap(\.instanceTypes))
            .filter { situation.aws.catalog.instanceType(named: $0).map { !$0.prefixDelegationSupported } ?? false }.sorted()
        if !notNitro.isEmpty {
            failure = "\(notNitro.joined(separator: ", ")) \(notNitro.count == 1 ? "is" : "are") not Nitro: prefix delegation needs Nitro instances"
        }
        var after = plan
        var cni = after.cni ?? CNISettingsInput()
        cni.prefixDelegation = true
        cni.warmPrefixTarget = cni.warmPrefixTarget ?? 1
        after.cni = cni
        finish(&option, plan: after, situation: situation, preconditionFailure: failure)
        if !option.feasible, failure == nil,
            let blocks = option.evaluationAfter?.errorFindings.first(where: { $0.ruleId == "PD-003" })
        {
            option.reason = "the node subnets have the addresses but too few free aligned /28 blocks: \(blocks.message) "
                + "Fix: \(blocks.fix)"
        }
        option.steps = [
            .init(
                "Turn prefix delegation on in the VPC CNI (aws-node restarts; running pods keep their addresses).",
                commands: [setEnv([("ENABLE_PREFIX_DELEGATION", "true"), ("WARM_PREFIX_TARGET", "\(cni.warmPrefixTarget ?? 1)")])]),
            .init(
                "Raise max pods for the new nodes to what prefixes allow (the max-pods calculator, per instance type).",
                commands: Set((plan.nodeGroups ?? []).flatMap(\.instanceTypes)).sorted().map {
                    "./max-pods-calculator.sh --instance-type \($0) --cni-version \(version) --cni-prefix-delegation-enabled"
                }),
            rollNodeGroups(plan),
        ]
        return option
    }
}
