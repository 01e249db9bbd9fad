/// A cluster network plan as a platform engineer or a portal submits it, in AWS's vocabulary. Optional fields take
/// EKS's defaults; CIDRs are strings so that a block with host bits set is reported as a finding with its
/// canonical form rather than refused outright.
public struct ClusterPlan: Hashable, Codable, Sendable {
    public var clusterName: String
    public var region: String
    public var kubernetesVersion: String?
    /// `ipv4` (default) or `ipv6`.
    public var ipFamily: IPFamily?
    public var serviceIpv4Cidr: String?
    public var endpointAccess: EndpointAccess?
    public var vpc: VPC
    public var subnets: [Subnet]
    public var natGateways: [NATGateway]?
    /// Services with a VPC endpoint (`ec2`, `ecr.api`, `s3`, …), as names or as objects with details.
    public var vpcEndpoints: [VPCEndpoint]?
    /// Networks reachable from the VPC (peering, TGW, VPN, on-premises, other clusters).
    public var connectedNetworks: [ConnectedNetwork]?
    /// The subnets handed to CreateCluster (where EKS places its 2–4 ENIs).
    public var clusterSubnetIds: [String]
    public var nodeGroups: [NodeGroupInput]?
    public var fargateProfiles: [FargateProfile]?
    public var cni: CNISettingsInput?
    public var loadBalancers: LoadBalancers?
    /// Karpenter provisions nodes (subnets found by `karpenter.sh/discovery`).
    public var karpenter: Bool?
    /// The cluster and node security groups with their rules; nil: the security-group checks are not run (SG-006).
    public var securityGroups: SecurityGroupPlan? = nil

    public enum IPFamily: String, Codable, Sendable, Hashable {
        case ipv4, ipv6
    }

    public struct EndpointAccess: Hashable, Codable, Sendable {
        /// Public API endpoint (EKS default true).
        public var `public`: Bool?
        /// Private API endpoint (EKS default false).
        public var `private`: Bool?

        public init(public: Bool? = nil, private: Bool? = nil) {
            self.public = `public`
            self.private = `private`
        }
    }

    public struct VPC: Hashable, Codable, Sendable {
        public var vpcId: String?
        /// IPv4 CIDR blocks, the primary first.
        public var cidrBlocks: [String]
        /// Amazon-provided IPv6 blocks (/56), for IPv6 clusters.
        public var ipv6CidrBlocks: [String]?
        public var enableDnsSupport: Bool?
        public var enableDnsHostnames: Bool?

        public init(
            vpcId: String? = nil, cidrBlocks: [String], ipv6CidrBlocks: [String]? = nil, enableDnsSupport: Bool? = nil,
            enableDnsHostnames: Bool? = nil
        ) {
            self.vpcId = vpcId
            self.cidrBlocks = cidrBlocks
            self.ipv6CidrBlocks = ipv6CidrBlocks
            self.enableDnsSupport = enableDnsSupport
            self.enableDnsHostnames = enableDnsHostnames
        }
    }

    /// A subnet as a plan describes it (shared with the tag suggestions and the audit).
    public typealias Subnet = PlannedSubnet

    public struct NATGateway: Hashable, Codable, Sendable {
        public var natGatewayId: String
        public var subnetId: String
        /// `public` (default) or `private`.
        public var connectivityType: String?
    }

    /// A VPC endpoint: `"ec2"` or `{"service": "s3", "type": "Gateway", "routeTableSubnetIds": [...], ...}`.
    public struct VPCEndpoint: Hashable, Codable, Sendable {
        /// The short service name (`ecr.api`), or the full one (`com.amazonaws.us-east-1.ecr.api`).
        public var service: String
        /// `Interface` or `Gateway`.
        public var type: String?
        /// Interface endpoints: the subnets they have an ENI in.
        public var subnetIds: [String]?
        /// Interface endpoints: whether private DNS is on (default true).
        public var privateDnsEnabled: Bool?
        /// Gateway endpoints: the subnets whose route tables are associated (default: all).
        public var routeTableSubnetIds: [String]?

        public init(service: String) {
            self.service = service
        }

        enum CodingKeys: String, CodingKey {
            case service, type, subnetIds, privateDnsEnabled, routeTableSubnetIds
        }

        public init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self.init(service: name)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(service: try container.decode(String.self, forKey: .service))
            type = try container.decodeIfPresent(String.self, forKey: .type)
            subnetIds = try container.decodeIfPresent([String].self, forKey: .subnetIds)
            privateDnsEnabled = try container.decodeIfPresent(Bool.self, forKey: .privateDnsEnabled)
            routeTableSubnetIds = try container.decodeIfPresent([String].self, forKey: .routeTableSubnetIds)
        }

        /// `ecr.api` from `com.amazonaws.us-east-1.ecr.api`.
        public var shortName: String {
            let parts = service.split(separator: ".")
            if parts.count > 3, parts[0] == "com", parts[1] == "amazonaws" {
                return parts[3...].joined(separator: ".")
            }
            return service
        }
    }

    public struct FargateProfile: Hashable, Codable, Sendable {
        public var name: String
        public var subnetIds: [String]
        /// Most pods the profile runs at once; each takes one address from its subnet.
        public var maxPods: Int
    }

    /// The load balancers a plan intends (shared with the tag suggestions).
    public typealias LoadBalancers = LoadBalancerPlan
}
