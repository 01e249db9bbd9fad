/// §1.8 subnet tags and load-balancer subnet discovery (the suggestions themselves come from SubnetTagSuggester).
enum TagRules {
    static let roles = [SubnetTagSuggester.elbRole, SubnetTagSuggester.internalELBRole]

    static func usedByCluster(_ inputs: RuleInputs, _ index: Int) -> Bool {
        inputs.context.nodeSubnets.contains(index) || inputs.context.clusterSubnets.contains(index)
            || inputs.context.eniConfigSubnets.values.contains(index)
            || inputs.tags.subnets[index].loadBalancerScheme != nil
    }

    static let all: [PlanRule] = [
        PlanRule("TAG-003") { inputs, rule in
            inputs.subnets.compactMap { subnet in
                let tags = subnet.tags
                let elb = tags[SubnetTagSuggester.elbRole] != nil
                let internalELB = tags[SubnetTagSuggester.internalELBRole] != nil
                let problem: String
                if elb && internalELB {
                    problem = "carries both kubernetes.io/role/elb and kubernetes.io/role/internal-elb"
                } else if elb && !subnet.isPublic {
                    problem = "carries kubernetes.io/role/elb but has no route to an internet gateway: internet-facing load balancers there are unreachable"
                } else if internalELB && subnet.isPublic {
                    problem = "carries kubernetes.io/role/internal-elb but is public"
                } else {
                    return nil
                }
                return rule.finding(
                    subnet.pointer + "/tags", "subnet \(subnet.id) \(problem)",
                    fix: "Tag public subnets kubernetes.io/role/elb and private ones kubernetes.io/role/internal-elb, never both.")
            }
        },
        PlanRule("TAG-004") { inputs, rule in
            inputs.subnets.flatMap { subnet in
                roles.compactMap { role -> PlanFinding? in
                    guard let value = subnet.tags[role], value != "1", !value.isEmpty else { return nil }
                    return rule.finding(
                        subnet.pointer + "/tags",
                        "subnet \(subnet.id) has \(role)=\(value); the load-balancer controller matches only 1 or empty",
                        fix: "Set \(role)=1.")
                }
            }
        },
        PlanRule("TAG-005") { inputs, rule in
            let own = inputs.context.clusterTagKey
            return inputs.subnets.compactMap { subnet in
                let foreign = subnet.tags.keys.filter { $0.hasPrefix("kubernetes.io/cluster/") && $0 != own }.sorted()
                guard !foreign.isEmpty, subnet.tags[own] == nil, usedByCluster(inputs, subnet.index) else { return nil }
                return rule.finding(
                    subnet.pointer + "/tags",
                    "subnet \(subnet.id) is tagged for another cluster (\(foreign.joined(separator: ", "))) but not for "
                        + "\(inputs.plan.clusterName): the load-balancer controller (2.1.1+) and VPC CNI subnet discovery skip it",
                    fix: "Add \(own)=shared, or remove the foreign tag if that cluster is gone.")
            }
        },
        PlanRule("TAG-006") { inputs, rule in
            inputs.subnets.flatMap { subnet in
                subnet.tags.filter { $0.key.hasPrefix("kubernetes.io/cluster/") && $0.value != "owned" && $0.value != "shared" }
                    .sorted { $0.key < $1.key }
                    .map { tag in
                        rule.finding(
                            subnet.pointer + "/tags",
                            "subnet \(subnet.id) has \(tag.key)=\(tag.value); cluster tags take 'owned' or 'shared'",
                            fix: "Use shared (several clusters or another stack owns the subnet) or owned (lifecycle tied to the cluster).")
                    }
            }
        },
        PlanRule("TAG-007") { inputs, rule in
            guard let version = inputs.context.controllerVersion, (version.major, version.minor, version.patch) < (2, 1, 1) else {
                return []
            }
            return [
                rule.finding(
                    "/loadBalancers/controllerVersion",
                    "load-balancer controller \(version.major).\(version.minor).\(version.patch) requires "
                        + "\(inputs.context.clusterTagKey) (owned or shared) on every load-balancer subnet; 2.1.1 and later do not",
                    fix: "Upgrade the controller, or keep the cluster tag on the load-balancer subnets (suggested below).")
            ]
        },
        PlanRule("TAG-008") { inputs, rule in
            var findings: [PlanFinding] = []
            for role in roles {
                var byZone: [String: [PlanContext.ResolvedSubnet]] = [:]
                for subnet in inputs.subnets where subnet.tags[role] != nil {
                    byZone[subnet.availabilityZone, default: []].append(subnet)
                }
                for (zone, members) in byZone.sorted(by: { $0.key < $1.key }) where members.count > 1 {
                    let own = members.filter { $0.tags[inputs.context.clusterTagKey] != nil }
                    let winner = own.min { $0.id < $1.id } ?? members.min { $0.id < $1.id }!
                    findings.append(
                        rule.finding(
                            members[1].pointer + "/tags",
                            "\(members.count) subnets in \(zone) carry \(role) (\(members.map(\.id).sorted().joined(separator: ", "))); "
                                + "the controller picks one per AZ: \(winner.id) (\(own.isEmpty ? "lowest subnet id" : "tagged for this cluster"))",
                            fix: "Tag only the intended subnet, or add the cluster tag to it (see the tag suggestions)."))
                }
            }
            return findings
        },
        PlanRule("TAG-009") { inputs, rule in
            inputs.subnets.compactMap { subnet in
                let tagged = roles.contains { subnet.tags[$0] != nil } || inputs.tags.subnets[subnet.index].loadBalancerScheme != nil
                let free = inputs.budgets[subnet.index].headroomAddresses + inputs.budgets[subnet.index].loadBalancerAddresses
                guard tagged, free < SubnetTagSuggester.minimumLoadBalancerFreeAddresses else { return nil }
                return rule.finding(
                    subnet.pointer,
                    "load-balancer subnet \(subnet.id) will have \(max(0, free)) free addresses; the controller drops subnets with fewer than 8",
                    fix: "Use a /27 or larger load-balancer subnet per AZ with room to spare.")
            }
        },
        PlanRule("TAG-010") { inputs, rule in
            var findings: [PlanFinding] = []
            let schemes: [(Bool, [String], String, String)] = [
                (inputs.context.plansInternetFacingLoadBalancers, inputs.tags.loadBalancerSubnets.internetFacing, "internet-facing", "public"),
                (inputs.context.plansInternalLoadBalancers, inputs.tags.loadBalancerSubnets.internal, "internal", "private"),
            ]
            for (planned, ids, scheme, kind) in schemes where planned {
                let usable = ids.compactMap { inputs.context.subnetTable.position(of: $0) }.filter { index in
                    inputs.budgets[index].headroomAddresses + inputs.budgets[index].loadBalancerAddresses
                        >= SubnetTagSuggester.minimumLoadBalancerFreeAddresses
                }
                let zones = Set(usable.map { inputs.subnet($0).availabilityZone })
                guard zones.count < 2 else { continue }
                findings.append(
                    rule.finding(
                        "/loadBalancers",
                        "\(scheme) ALBs need \(kind) subnets in at least two AZs with 8 free addresses; the plan has \(zones.count)",
                        fix: "Add a \(kind) subnet (a /27 or larger) in a second AZ. NLBs need only one."))
            }
            return findings
        },
        PlanRule("TAG-011") { inputs, rule in
            let schemes: [(Bool, String, String)] = [
                (inputs.context.plansInternetFacingLoadBalancers, SubnetTagSuggester.elbRole, "internet-facing"),
                (inputs.context.plansInternalLoadBalancers, SubnetTagSuggester.internalELBRole, "internal"),
            ]
            // LBC subnet discovery: from 2.12.1, with no subnet tagged for the role, candidates are found by route-table
            // reachability (public = a route to an internet gateway); before it, nothing is found and the load
            // balancer fails to reconcile. Without a version, a current controller is assumed.
            let fallsBack = inputs.context.controllerVersion.map { $0 >= SemanticVersion(major: 2, minor: 12, patch: 1) } ?? true
            return schemes.compactMap { planned, role, scheme in
                guard planned, !inputs.subnets.contains(where: { $0.tags[role] != nil }) else { return nil }
                let consequence = fallsBack
                    ? "the controller (2.12.1+) falls back to route-table reachability for \(scheme) load balancers"
                    : "controller \(inputs.context.controllerVersion.map { "\($0)" } ?? "") predates 2.12.1 and finds no subnet: \(scheme) load balancers fail"
                return rule.finding(
                    "/subnets", "no subnet carries \(role): " + consequence,
                    fix: "Apply the suggested tags; explicit tags beat discovery by reachability.")
            }
        },
        PlanRule("TAG-012") { inputs, rule in
            guard inputs.plan.loadBalancers?.dualStack == true else { return [] }
            return inputs.tags.subnets.enumerated().compactMap { index, suggestion in
                guard suggestion.loadBalancerScheme != nil, inputs.subnet(index).input.ipv6CidrBlock == nil else { return nil }
                return rule.finding(
                    inputs.subnet(index).pointer + "/ipv6CidrBlock",
                    "dual-stack load balancers are planned but load-balancer subnet \(suggestion.subnetId) has no IPv6 CIDR",
                    fix: "Associate an IPv6 /64 with the subnet.")
            }
        },
        PlanRule("TAG-013") { inputs, rule in
            roles.compactMap { role in
                let locales = Set(inputs.subnets.filter { $0.tags[role] != nil }.map(\.zoneType.rawValue))
                guard locales.count > 1 else { return nil }
                return rule.finding(
                    "/subnets",
                    "subnets tagged \(role) mix locales (\(locales.sorted().joined(separator: ", "))); one load balancer's "
                        + "subnets must all be of one kind",
                    fix: "Keep the role tag on availability-zone subnets; tag Local Zone or Outpost subnets for separate load balancers.")
            }
        },
    ]
}
