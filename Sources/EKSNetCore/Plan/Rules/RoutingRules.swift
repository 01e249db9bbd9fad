/// §1.4 routing, NAT and egress, and §1.7 private clusters and VPC endpoints.
enum RoutingRules {
    /// Node subnets without a path to the internet: egress follows the 0.0.0.0/0 route, so a subnet that is public
    /// only by a narrower internet-gateway route still needs a NAT gateway or endpoints.
    static func isolatedNodeSubnets(_ inputs: RuleInputs) -> [Int] {
        inputs.context.nodeSubnets.sorted().filter { !inputs.context.egress[$0].reachesInternet }
    }

    /// Why a subnet has no internet path, for messages.
    static func reason(_ inputs: RuleInputs, _ index: Int) -> String {
        if case .none(let reason) = inputs.context.egress[index] { return reason }
        return "it reaches the internet"
    }

    static let all: [PlanRule] = [
        PlanRule("RT-001") { inputs, rule in
            let missing = inputs.context.missingRequiredEndpoints
            guard inputs.context.ipFamily == .ipv4, !missing.isEmpty else { return [] }
            return isolatedNodeSubnets(inputs).map { index in
                rule.finding(
                    inputs.subnet(index).pointer + "/defaultRoute",
                    "nodes in \(inputs.subnet(index).id) have no path to AWS APIs or ECR: \(reason(inputs, index)), and the "
                        + "\(missing.joined(separator: ", ")) endpoint\(missing.count == 1 ? " is" : "s are") missing",
                    fix: "Route 0.0.0.0/0 to a NAT gateway in a public subnet, or add the VPC endpoints "
                        + PlanContext.requiredPrivateEndpoints.joined(separator: ", ") + ".")
            }
        },
        PlanRule("RT-002") { inputs, rule in
            guard inputs.context.ipFamily == .ipv6, !inputs.context.missingRequiredEndpoints.isEmpty else { return [] }
            return inputs.context.nodeSubnets.sorted().compactMap { index in
                let subnet = inputs.subnet(index)
                guard !subnet.isPublic, subnet.facts.ipv6DefaultRoute == .none else { return nil }
                return rule.finding(
                    subnet.pointer + "/ipv6DefaultRoute",
                    "IPv6 nodes in \(subnet.id) have no ::/0 route to an egress-only internet gateway and the required endpoints are missing",
                    fix: "Route ::/0 to an egress-only internet gateway (or add the VPC endpoints).")
            }
        },
        PlanRule("RT-003") { inputs, rule in
            (inputs.plan.natGateways ?? []).enumerated().compactMap { position, nat in
                guard nat.connectivityType?.lowercased() != "private",
                    let index = inputs.context.subnetTable.position(of: nat.subnetId),
                    !inputs.subnet(index).facts.defaultRoute.isInternetGateway
                else { return nil }
                // The NAT gateway forwards to the internet through its subnet's 0.0.0.0/0: a narrower internet-gateway
                // route makes the subnet public to the LB controller, not a path for everything the nodes reach.
                return rule.finding(
                    "/natGateways/\(position)/subnetId",
                    "public NAT gateway \(nat.natGatewayId) sits in \(nat.subnetId), whose 0.0.0.0/0 does not go to an internet gateway",
                    fix: "Place the NAT gateway in a public subnet of the same AZ.")
            }
        },
        PlanRule("RT-004") { inputs, rule in
            let nats = inputs.plan.natGateways ?? []
            guard !nats.isEmpty else { return [] }
            let natZones = Set(nats.compactMap { inputs.context.subnetTable.position(of: $0.subnetId) }.map { inputs.subnet($0).availabilityZone })
            let natRouted = inputs.subnets.filter { $0.facts.defaultRoute.isNATGateway }
            let zones = Set(natRouted.map(\.availabilityZone))
            guard zones.count > 1 else { return [] }
            let uncovered = zones.subtracting(natZones).sorted()
            guard !uncovered.isEmpty else { return [] }
            return [
                rule.finding(
                    "/natGateways",
                    "private subnets in \(zones.count) AZs route through NAT gateways in \(natZones.sorted().joined(separator: ", ")) only; "
                        + "subnets in \(uncovered.joined(separator: ", ")) depend on another AZ and pay cross-AZ charges",
                    fix: "Put one NAT gateway in a public subnet of each AZ and route each AZ's private subnets to its own.")
            ]
        },
        PlanRule("RT-005") { inputs, rule in
            let access = inputs.plan.endpointAccess
            guard access?.public ?? true, !(access?.private ?? false) else { return [] }
            let isolated = isolatedNodeSubnets(inputs)
            guard !isolated.isEmpty else { return [] }
            return [
                rule.finding(
                    "/endpointAccess",
                    "only the public API endpoint is on, and nodes in \(isolated.map { inputs.subnet($0).id }.joined(separator: ", ")) "
                        + "have neither a public IP nor a NAT route to reach it",
                    fix: "Enable private endpoint access, or give those subnets a NAT route.")
            ]
        },
        PlanRule("RT-006") { inputs, rule in
            guard inputs.context.plansInternetFacingLoadBalancers, !inputs.subnets.contains(where: \.isPublic) else { return [] }
            return [
                rule.finding(
                    "/loadBalancers/internetFacing",
                    "internet-facing load balancers are planned but no subnet routes to an internet gateway",
                    fix: "Add public subnets (0.0.0.0/0 → internet gateway) in at least two AZs, or plan internal load balancers only.")
            ]
        },
        PlanRule("EP-001") { inputs, rule in
            let isolated = isolatedNodeSubnets(inputs)
            let missing = inputs.context.missingRequiredEndpoints
            guard !isolated.isEmpty, !missing.isEmpty else { return [] }
            return [
                rule.finding(
                    "/vpcEndpoints",
                    "nodes in \(isolated.map { inputs.subnet($0).id }.joined(separator: ", ")) have no internet egress and the "
                        + "VPC lacks endpoints for \(missing.joined(separator: ", "))",
                    fix: "Create interface endpoints com.amazonaws.\(inputs.plan.region).{ec2,ecr.api,ecr.dkr,sts} and the "
                        + "S3 gateway endpoint, or give the subnets a NAT route.")
            ]
        },
        PlanRule("EP-002") { inputs, rule in
            guard !isolatedNodeSubnets(inputs).isEmpty else { return [] }
            var needs: [(feature: String, endpoint: String)] = []
            if inputs.context.plansLoadBalancers { needs.append(("AWS Load Balancer Controller", "elasticloadbalancing")) }
            if inputs.plan.karpenter == true {
                needs.append(("Karpenter (AMI lookup)", "ssm"))
                needs.append(("Karpenter (interruption queue)", "sqs"))
            }
            return needs.filter { !inputs.context.endpointServices.contains($0.endpoint) }.map { need in
                rule.finding(
                    "/vpcEndpoints",
                    "\(need.feature) needs the \(need.endpoint) endpoint in a cluster without internet access",
                    fix: "Create the interface endpoint com.amazonaws.\(inputs.plan.region).\(need.endpoint).")
            }
        },
        PlanRule("EP-003") { inputs, rule in
            guard !isolatedNodeSubnets(inputs).isEmpty, inputs.plan.endpointAccess?.private != true else { return [] }
            return [
                rule.finding(
                    "/endpointAccess/private",
                    "nodes without internet egress must reach the API server inside the VPC, but private endpoint access is off",
                    fix: "Enable private endpoint access (endpointPrivateAccess=true).")
            ]
        },
        PlanRule("EP-004") { inputs, rule in
            let nodes = inputs.context.nodeSubnets
            return (inputs.plan.vpcEndpoints ?? []).enumerated().compactMap { position, endpoint in
                guard endpoint.shortName == "s3", endpoint.type?.lowercased() != "interface",
                    let associated = endpoint.routeTableSubnetIds
                else { return nil }
                let covered = Set(associated.compactMap { inputs.context.subnetTable.position(of: $0) })
                let missing = nodes.subtracting(covered).filter { !inputs.context.egress[$0].reachesInternet }.sorted()
                guard !missing.isEmpty else { return nil }
                return rule.finding(
                    "/vpcEndpoints/\(position)/routeTableSubnetIds",
                    "the S3 gateway endpoint is not associated with the route tables of \(missing.map { inputs.subnet($0).id }.joined(separator: ", ")); "
                        + "ECR image layers come from S3",
                    fix: "Associate the S3 gateway endpoint with every node subnet's route table.")
            }
        },
        PlanRule("EP-005") { inputs, rule in
            let nodeZones = Set(inputs.context.nodeSubnets.map { inputs.subnet($0).availabilityZone })
            return (inputs.plan.vpcEndpoints ?? []).enumerated().flatMap { position, endpoint -> [PlanFinding] in
                guard endpoint.type?.lowercased() != "gateway", endpoint.shortName != "s3" || endpoint.type != nil else { return [] }
                var findings: [PlanFinding] = []
                if endpoint.privateDnsEnabled == false {
                    findings.append(
                        rule.finding(
                            "/vpcEndpoints/\(position)/privateDnsEnabled",
                            "interface endpoint \(endpoint.shortName) has private DNS off, so nodes resolve the public name",
                            fix: "Turn private DNS on for the endpoint."))
                }
                if let subnetIds = endpoint.subnetIds {
                    let zones = Set(subnetIds.compactMap { inputs.context.subnetTable.position(of: $0) }.map { inputs.subnet($0).availabilityZone })
                    let missing = nodeZones.subtracting(zones).sorted()
                    if !missing.isEmpty {
                        findings.append(
                            rule.finding(
                                "/vpcEndpoints/\(position)/subnetIds",
                                "interface endpoint \(endpoint.shortName) has no subnet in \(missing.joined(separator: ", ")), where nodes run",
                                fix: "Add one endpoint subnet per node AZ (and allow TCP 443 from the nodes in its security group)."))
                    }
                }
                return findings
            }
        },
    ]
}
