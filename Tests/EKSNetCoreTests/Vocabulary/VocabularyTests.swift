import Testing

@testable import EKSNetCore

@Suite struct VocabularyTests {
    @Test(arguments: [
        ("igw", RouteTarget.internetGateway(id: nil)), ("IGW", .internetGateway(id: nil)),
        ("igw-0abc123", .internetGateway(id: "igw-0abc123")), ("nat", .natGateway(id: nil)),
        ("nat-0123abcd", .natGateway(id: "nat-0123abcd")), ("tgw", .transitGateway(id: nil)),
        ("vgw-1", .virtualPrivateGateway(id: "vgw-1")), ("pcx", .peeringConnection(id: nil)),
        ("eigw", .egressOnlyInternetGateway(id: nil)), ("vpce-0a", .vpcEndpoint(id: "vpce-0a")),
        ("instance", .networkInterface(id: nil)), ("i-0abc", .networkInterface(id: "i-0abc")),
        ("eni-0abc", .networkInterface(id: "eni-0abc")), ("none", .none), ("", .none),
    ])
    func routeTargetsParseFromKindsAndResourceIds(text: String, target: RouteTarget) {
        #expect(RouteTarget(parsing: text) == target)
    }

    @Test(arguments: ["igw-", "natigw", "nat2 ", " igw", "internet", "igw-0abc/1", "local"])
    func unknownRouteTargetsAreRefused(text: String) {
        #expect(RouteTarget(parsing: text) == nil)
    }

    @Test func onlyAnInternetGatewayMakesASubnetPublic() {
        let publicKinds = ["igw", "nat", "tgw", "vgw", "pcx", "eigw", "vpce", "instance", "none"].filter {
            RouteTarget(parsing: $0)!.isInternetGateway
        }
        #expect(publicKinds == ["igw"])
        #expect(RouteTarget.none.exists == false)
        #expect(RouteTarget(parsing: "tgw")!.exists)
    }

    @Test func zoneTypesDefaultFromTheOutpostARN() {
        #expect(ZoneType(parsing: nil, outpostArn: nil) == .availabilityZone)
        #expect(ZoneType(parsing: nil, outpostArn: "arn:aws:outposts:us-east-1:1:outpost/op-1") == .outpost)
        #expect(ZoneType(parsing: "Local-Zone", outpostArn: nil) == .localZone)
        #expect(ZoneType(parsing: "edge", outpostArn: nil) == nil)
    }

    @Test func namesAndVersions() {
        #expect(AWSRegion(parsing: "us-gov-west-1")?.name == "us-gov-west-1")
        #expect(AWSRegion(parsing: "us-east") == nil)
        #expect(AWSRegion(parsing: "US-EAST-1") == nil)
        #expect(ClusterName(parsing: "prod_a-1")?.tagKey == "kubernetes.io/cluster/prod_a-1")
        #expect(ClusterName(parsing: "-prod") == nil)
        #expect(ClusterName(parsing: String(repeating: "a", count: 101)) == nil)
        #expect(SemanticVersion(parsing: "v2.13.0") == SemanticVersion(major: 2, minor: 13, patch: 0))
        #expect(SemanticVersion(parsing: "2.1") == SemanticVersion(major: 2, minor: 1))
        #expect(SemanticVersion(parsing: "2") == nil)
        #expect(SemanticVersion(major: 2, minor: 0, patch: 1) < SemanticVersion(major: 2, minor: 1, patch: 1))
        #expect(KubernetesVersion.minor(of: "1.31.2") == 31)
        #expect(KubernetesVersion.minor(of: "2.1") == nil)
    }
}
