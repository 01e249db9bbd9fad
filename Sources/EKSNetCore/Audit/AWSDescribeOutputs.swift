/// The parts of `aws ec2 describe-*` JSON that an audit reads, in AWS's own field names. Unknown fields are
/// ignored, so the commands' output can be pasted as it is.
public enum AWSDescribe {
    public struct Tag: Hashable, Codable, Sendable {
        public var Key: String
        public var Value: String?
    }

    public struct VpcsOutput: Hashable, Codable, Sendable {
        public var Vpcs: [Vpc]
    }

    public struct Vpc: Hashable, Codable, Sendable {
        public var VpcId: String
        public var CidrBlock: String?
        public var CidrBlockAssociationSet: [CidrAssociation]?
        public var Ipv6CidrBlockAssociationSet: [Ipv6Association]?
        public var IsDefault: Bool?
        public var Tags: [Tag]?
    }

    public struct CidrAssociation: Hashable, Codable, Sendable {
        public var CidrBlock: String
        public var CidrBlockState: State?
    }

    public struct Ipv6Association: Hashable, Codable, Sendable {
        public var Ipv6CidrBlock: String?
        public var Ipv6CidrBlockState: State?
    }

    public struct State: Hashable, Codable, Sendable {
        public var State: String?
    }

    public struct SubnetsOutput: Hashable, Codable, Sendable {
        public var Subnets: [Subnet]
    }

    public struct Subnet: Hashable, Codable, Sendable {
        public var SubnetId: String
        public var VpcId: String?
        public var AvailabilityZone: String
        public var AvailabilityZoneId: String?
        public var CidrBlock: String
        public var AvailableIpAddressCount: Int?
        public var MapPublicIpOnLaunch: Bool?
        public var AssignIpv6AddressOnCreation: Bool?
        public var Ipv6CidrBlockAssociationSet: [Ipv6Association]?
        public var OutpostArn: String?
        public var EnableDns64: Bool?
        public var Tags: [Tag]?
    }

    public struct RouteTablesOutput: Hashable, Codable, Sendable {
        public var RouteTables: [RouteTable]
    }

    public struct RouteTable: Hashable, Codable, Sendable {
        public var RouteTableId: String
        public var VpcId: String?
        public var Associations: [Association]?
        public var Routes: [Route]?
    }

    public struct Association: Hashable, Codable, Sendable {
        public var Main: Bool?
        public var SubnetId: String?
    }

    public struct Route: Hashable, Codable, Sendable {
        public var DestinationCidrBlock: String?
        public var DestinationIpv6CidrBlock: String?
        public var DestinationPrefixListId: String?
        public var GatewayId: String?
        public var NatGatewayId: String?
        public var TransitGatewayId: String?
        public var VpcPeeringConnectionId: String?
        public var NetworkInterfaceId: String?
        public var InstanceId: String?
        public var EgressOnlyInternetGatewayId: String?
        public var State: String?

        /// The target as a plan's route map writes it (`igw-0abc`, `nat-0abc`, `local`); nil for targets no rule
        /// reads (carrier, local and core-network gateways). An id eksnet would not accept falls back to its kind.
        func target(namingNATGateways: Bool) -> String? {
            if let gateway = GatewayId {
                if gateway == "local" { return "local" }
                return RouteTarget(parsing: gateway) == nil ? nil : gateway
            }
            let candidates: [(String?, String)] = [
                (namingNATGateways ? NatGatewayId : NatGatewayId.map { _ in "nat" }, "nat"),
                (TransitGatewayId, "tgw"), (VpcPeeringConnectionId, "pcx"), (EgressOnlyInternetGatewayId, "eigw"),
                (NetworkInterfaceId, "instance"), (InstanceId, "instance"),
            ]
            for (id, kind) in candidates {
                guard let id else { continue }
                return RouteTarget(parsing: id) == nil ? kind : id
            }
            return nil
        }
    }

    public struct NatGatewaysOutput: Hashable, Codable, Sendable {
        public var NatGateways: [NatGateway]
    }

    public struct NatGateway: Hashable, Codable, Sendable {
        public var NatGatewayId: String
        public var SubnetId: String?
        public var VpcId: String?
        public var State: String?
        public var ConnectivityType: String?
    }

    public struct VpcEndpointsOutput: Hashable, Codable, Sendable {
        public var VpcEndpoints: [VpcEndpoint]
    }

    public struct VpcEndpoint: Hashable, Codable, Sendable {
        public var ServiceName: String
        public var VpcEndpointType: String?
        public var VpcId: String?
        public var SubnetIds: [String]?
        public var RouteTableIds: [String]?
        public var PrivateDnsEnabled: Bool?
        public var State: String?
    }

    /// `aws ec2 describe-security-groups --filters Name=vpc-id,Values=…`.
    public struct SecurityGroupsOutput: Hashable, Codable, Sendable {
        public var SecurityGroups: [SecurityGroup]
    }

    public struct SecurityGroup: Hashable, Codable, Sendable {
        public var GroupId: String
        public var VpcId: String?
        public var IpPermissions: [IpPermission]?
        public var IpPermissionsEgress: [IpPermission]?
        public var Tags: [Tag]?
    }

    public struct IpPermission: Hashable, Codable, Sendable {
        public var IpProtocol: String
        public var FromPort: Int?
        public var ToPort: Int?
        public var UserIdGroupPairs: [GroupPair]?
        public var IpRanges: [IpRange]?
    }

    public struct GroupPair: Hashable, Codable, Sendable {
        public var GroupId: String?
    }

    public struct IpRange: Hashable, Codable, Sendable {
        public var CidrIp: String?
    }

    /// `aws ec2 describe-vpc-attribute --attribute enableDnsHostnames` (or enableDnsSupport).
    public struct VpcAttributeOutput: Hashable, Codable, Sendable {
        public var VpcId: String?
        public var EnableDnsHostnames: Value?
        public var EnableDnsSupport: Value?
    }

    public struct Value: Hashable, Codable, Sendable {
        public var Value: Bool
    }
}
