@testable import EKSNetCore

/// A clean three-AZ plan (no error, no warning) that rule tests mutate one field at a time.
enum PlanFixtures {
    static let zones = [("us-west-2a", "usw2-az1"), ("us-west-2b", "usw2-az2"), ("us-west-2c", "usw2-az3")]

    static var clean: ClusterPlan {
        var subnets: [ClusterPlan.Subnet] = []
        for (index, zone) in zones.enumerated() {
            var subnet = ClusterPlan.Subnet(
                subnetId: "subnet-public-\(index)", availabilityZone: zone.0, availabilityZoneId: zone.1,
                cidrBlock: "10.0.\(index).0/24", defaultRoute: "igw", mapPublicIpOnLaunch: true,
                tags: ["kubernetes.io/role/elb": "1"])
            subnet.role = "public"
            subnets.append(subnet)
        }
        for (index, zone) in zones.enumerated() {
            var subnet = ClusterPlan.Subnet(
                subnetId: "subnet-private-\(index)", availabilityZone: zone.0, availabilityZoneId: zone.1,
                cidrBlock: "10.0.\(32 * (index + 1)).0/19", defaultRoute: "nat", mapPublicIpOnLaunch: false,
                tags: ["kubernetes.io/role/internal-elb": "1"])
            subnet.role = "private"
            subnets.append(subnet)
        }
        for (index, zone) in zones.prefix(2).enumerated() {
            subnets.append(
                ClusterPlan.Subnet(
                    subnetId: "subnet-cluster-\(index)", availabilityZone: zone.0, availabilityZoneId: zone.1,
                    cidrBlock: "10.0.4.\(32 * index)/27", defaultRoute: "nat"))
        }
        return ClusterPlan(
            clusterName: "prod-a", region: "us-west-2", kubernetesVersion: "1.31", ipFamily: .ipv4,
            serviceIpv4Cidr: "172.20.0.0/16", endpointAccess: .init(public: true, private: true),
            vpc: .init(vpcId: "vpc-1", cidrBlocks: ["10.0.0.0/16"], enableDnsSupport: true, enableDnsHostnames: true),
            subnets: subnets,
            natGateways: (0..<3).map { ClusterPlan.NATGateway(natGatewayId: "nat-\($0)", subnetId: "subnet-public-\($0)") },
            vpcEndpoints: nil, connectedNetworks: ["10.1.0.0/16"],
            clusterSubnetIds: ["subnet-cluster-0", "subnet-cluster-1"],
            nodeGroups: [
                NodeGroupInput(
                    name: "general", instanceTypes: ["m5.large"], minSize: 3, desiredSize: 6, maxSize: 30,
                    subnetIds: ["subnet-private-0", "subnet-private-1", "subnet-private-2"])
            ],
            fargateProfiles: nil, cni: CNISettingsInput(version: "1.19.0"),
            loadBalancers: .init(internetFacing: true, internal: true, controllerVersion: "2.13.0", dualStack: nil),
            karpenter: false)
    }

    /// The clean plan as an IPv6 cluster: dual-stack VPC and subnets, egress-only route for private subnets.
    static var cleanIPv6: ClusterPlan {
        var plan = clean
        plan.ipFamily = .ipv6
        plan.serviceIpv4Cidr = nil
        plan.vpc.ipv6CidrBlocks = ["2600:1f14:abc:de00::/56"]
        for index in plan.subnets.indices {
            plan.subnets[index].ipv6CidrBlock = "2600:1f14:abc:de\(String(format: "%02x", index))::/64"
            plan.subnets[index].assignIpv6AddressOnCreation = true
            if plan.subnets[index].defaultRoute == "nat" { plan.subnets[index].ipv6DefaultRoute = "eigw" }
        }
        return plan
    }

    static func index(_ plan: ClusterPlan, _ id: String) -> Int {
        plan.subnets.firstIndex { $0.subnetId == id }!
    }
}

import Foundation
