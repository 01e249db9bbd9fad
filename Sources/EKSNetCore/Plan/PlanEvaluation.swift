/// Everything eksnet says about a plan: the verdict, every finding, each subnet's address budget, capacity per
/// node group, and the subnet tags to add and remove.
public struct PlanEvaluation: Hashable, Codable, Sendable {
    public var clusterName: String
    public var region: String
    public var verdict: PlanVerdict
    public var summary: Summary
    /// Errors first, then warnings, then facts.
    public var findings: [PlanFinding]
    public var subnets: [SubnetBudget]
    public var capacity: [NodeGroupCapacity]
    public var tags: SubnetTagPlan
    /// The service CIDR EKS will use and whether eksnet assumed it (plan left it unset).
    public var serviceIpv4Cidr: String?
    public var serviceIpv4CidrAssumed: Bool
    /// What eksnet assumed for values the plan left out (AWS's defaults), one sentence each.
    public var assumptions: [String]

    public struct Summary: Hashable, Codable, Sendable {
        public var errors: Int
        public var warnings: Int
        public var info: Int
    }
}

extension PlanEvaluation {
    /// One line for job listings: the verdict and the counts.
    public var oneLineSummary: String {
        "\(verdict.rawValue): \(summary.errors) errors, \(summary.warnings) warnings"
    }
}

/// Evaluates plans: resolves them, budgets every subnet, suggests tags, and runs every rule.
public enum PlanEvaluator {
    static let rules: [PlanRule] =
        VPCRules.all + SubnetRules.all + RoutingRules.all + NodeGroupRules.all + ServiceCIDRRules.all + TagRules.all + SecurityGroupRules.all
        + IPv6Rules.all + InputRules.all

    /// The ids of every rule eksnet checks, with their severities.
    public static var implementedRules: [(id: String, severity: Severity)] {
        rules.map { ($0.id, $0.severity) }
    }

    /// Checks a plan's shape (throws every structural issue at once) and evaluates it.
    public static func evaluate(
        _ plan: ClusterPlan, aws: AWSData
    ) throws(ValidationFailure) -> PlanEvaluation {
        evaluate(try PlanContext(plan, aws: aws))
    }

    /// Evaluates a resolved plan.
    public static func evaluate(_ context: PlanContext) -> PlanEvaluation {
        let calculator = SubnetBudgetCalculator(context: context)
        var loads = calculator.baseLoads()
        let prefixMode =
            context.ipFamily == .ipv4 && context.nodeGroups.contains { $0.group.cni.warmPool.prefixDelegation }
        let freeBefore = context.subnets.map { subnet in
            subnet.freeNow - loads[subnet.index].total
        }
        let tags = SubnetTagSuggester.suggest(
            taggableSubnets(context, free: freeBefore), settings: tagSettings(context))
        for (index, suggestion) in tags.subnets.enumerated() where suggestion.loadBalancerScheme != nil {
            loads[index].loadBalancer = SubnetTagSuggester.minimumLoadBalancerFreeAddresses
        }
        let budgets = calculator.budgets(loads, prefixMode: prefixMode)
        let inputs = RuleInputs(context: context, budgets: budgets, freeBeforeLoadBalancers: freeBefore, tags: tags)
        let findings = rules.flatMap { $0.check(inputs) }.sorted { ($0.severity, $0.ruleId) < ($1.severity, $1.ruleId) }
        let summary = PlanEvaluation.Summary(
            errors: findings.filter { $0.severity == .error }.count,
            warnings: findings.filter { $0.severity == .warning }.count,
            info: findings.filter { $0.severity == .info }.count)
        let verdict: PlanVerdict = summary.errors > 0 ? .blocked : summary.warnings > 0 ? .readyWithWarnings : .ready
        let service = ServiceCIDRRules.effectiveServiceCidr(context)
        return PlanEvaluation(
            clusterName: context.plan.clusterName, region: context.plan.region, verdict: verdict, summary: summary,
            findings: findings, subnets: budgets, capacity: context.nodeGroups.compactMap(\.capacity), tags: tags,
            serviceIpv4Cidr: service?.block.description, serviceIpv4CidrAssumed: service?.assumed ?? false,
            assumptions: assumptions(context, service: service))
    }

    static func assumptions(_ context: PlanContext, service: (block: CIDRBlock, assumed: Bool, pointer: String)?) -> [String] {
        var sentences: [String] = []
        if let support = context.dnsSupport, support.assumed {
            sentences.append("/vpc/enableDnsSupport not given: \(support.enabled), AWS's default for a VPC you create")
        }
        if let hostnames = context.dnsHostnames, hostnames.assumed {
            sentences.append("/vpc/enableDnsHostnames not given: \(hostnames.enabled), AWS's default for a VPC you create")
        }
        if let service, service.assumed {
            sentences.append("/serviceIpv4Cidr not given: \(service.block), the range EKS picks for this VPC")
        }
        return sentences
    }

    static let podRanges = [try! CIDRBlock(parsing: "100.64.0.0/10"), try! CIDRBlock(parsing: "198.19.0.0/16")]

    static func taggableSubnets(_ context: PlanContext, free: [Int]) -> [TaggableSubnet] {
        let nodes = context.nodeSubnets
        let cluster = Set(context.clusterSubnets)
        let eniConfigs = Set(context.eniConfigSubnets.values)
        let nodeZones = Set(nodes.map { context.subnets[$0].availabilityZone })
        return context.subnets.map { subnet in
            let declaredPods = subnet.facts.role == .pods
            let unusedPodRange =
                !nodes.contains(subnet.index) && !cluster.contains(subnet.index) && !subnet.isPublic
                && podRanges.contains { $0.contains(subnet.block) } && nodeZones.contains(subnet.availabilityZone)
            return TaggableSubnet(
                subnetId: subnet.id, availabilityZone: subnet.availabilityZone, block: subnet.block,
                isPublic: subnet.isPublic, zoneType: subnet.zoneType, tags: subnet.tags, freeAddresses: free[subnet.index],
                hostsNodes: nodes.contains(subnet.index), isClusterSubnet: cluster.contains(subnet.index),
                isENIConfigSubnet: eniConfigs.contains(subnet.index),
                isExtraPodSubnet: !eniConfigs.contains(subnet.index) && (declaredPods || unusedPodRange))
        }
    }

    static func tagSettings(_ context: PlanContext) -> TagSettings {
        TagSettings(
            clusterName: context.plan.clusterName, region: context.plan.region,
            internetFacingLoadBalancers: context.plansInternetFacingLoadBalancers,
            internalLoadBalancers: context.plansInternalLoadBalancers, controllerVersion: context.controllerVersion,
            karpenter: context.plan.karpenter ?? false, cniVersion: context.cni.version,
            customNetworking: context.customNetworking)
    }
}
