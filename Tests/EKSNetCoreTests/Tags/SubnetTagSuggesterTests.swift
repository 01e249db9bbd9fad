import Testing

@testable import EKSNetCore

@Suite struct SubnetTagSuggesterTests {
    func subnet(
        _ id: String, _ zone: String, _ cidr: String, public isPublic: Bool, tags: [String: String] = [:],
        nodes: Bool = false, cluster: Bool = false, pods: Bool = false
    ) -> TaggableSubnet {
        let block = try! CIDRBlock(parsing: cidr)
        return TaggableSubnet(
            subnetId: id, availabilityZone: zone, block: block, isPublic: isPublic, zoneType: .availabilityZone,
            tags: tags, freeAddresses: block.awsUsableAddressCount, hostsNodes: nodes, isClusterSubnet: cluster,
            isENIConfigSubnet: false, isExtraPodSubnet: pods)
    }

    func settings(
        internet: Bool = true, internalScheme: Bool = true, controller: SemanticVersion? = SemanticVersion(major: 2, minor: 13, patch: 0), karpenter: Bool = false
    ) -> TagSettings {
        TagSettings(
            clusterName: "prod-a", region: "us-east-1", internetFacingLoadBalancers: internet, internalLoadBalancers: internalScheme,
            controllerVersion: controller, karpenter: karpenter, cniVersion: try! CNIVersion(parsing: "1.19.0"),
            customNetworking: false)
    }

    @Test func roleTagsFollowReachability() {
        let plan = SubnetTagSuggester.suggest(
            [
                subnet("subnet-a-pub", "us-east-1a", "10.0.0.0/24", public: true),
                subnet("subnet-a-priv", "us-east-1a", "10.0.32.0/19", public: false, nodes: true),
            ], settings: settings())
        #expect(plan.subnets[0].add.map(\.key) == ["kubernetes.io/role/elb"])
        #expect(plan.subnets[0].add.first?.ruleId == "TAG-001")
        #expect(plan.subnets[1].add.map(\.key) == ["kubernetes.io/role/internal-elb"])
        #expect(plan.subnets[1].add.first?.ruleId == "TAG-002")
        #expect(plan.loadBalancerSubnets.internetFacing == ["subnet-a-pub"])
        #expect(plan.commands == [
            "aws ec2 create-tags --region us-east-1 --resources subnet-a-pub --tags Key=kubernetes.io/role/elb,Value=1",
            "aws ec2 create-tags --region us-east-1 --resources subnet-a-priv --tags Key=kubernetes.io/role/internal-elb,Value=1",
        ])
    }

    @Test func oneIntendedSubnetPerAZWithTheTieBreakCovered() {
        // subnet-0aaa sorts first and already carries the role tag, but subnet-0bbb is the larger one.
        let plan = SubnetTagSuggester.suggest(
            [
                subnet("subnet-0bbb", "us-east-1a", "10.0.0.0/24", public: true),
                subnet("subnet-0aaa", "us-east-1a", "10.0.1.0/28", public: true, tags: ["kubernetes.io/role/elb": "1"]),
            ], settings: settings(internalScheme: false))
        #expect(plan.loadBalancerSubnets.internetFacing == ["subnet-0bbb"])
        // Issue 11 §7: the rival's role tag is removed, so the controller picks subnet-0bbb without a cluster tag;
        // adding one would change nothing (it used to be suggested here as TAG-008).
        #expect(Set(plan.subnets[0].add.map(\.key)) == ["kubernetes.io/role/elb"])
        #expect(plan.subnets[1].remove.map(\.key) == ["kubernetes.io/role/elb"])
        #expect(plan.commands.contains {
            $0 == "aws ec2 delete-tags --region us-east-1 --resources subnet-0aaa --tags Key=kubernetes.io/role/elb"
        })
    }

    /// LBC ("Subnet Auto Discovery"; pkg/networking/subnet_resolver.go): in a zone with several tagged subnets the
    /// one carrying this cluster's tag wins. A user who pinned a subnet that way keeps it, however small.
    @Test func aSubnetPinnedWithTheClusterTagIsKept() {
        let plan = SubnetTagSuggester.suggest(
            [
                subnet("subnet-0aaa", "us-east-1a", "10.0.0.0/22", public: true),
                subnet("subnet-0zzz", "us-east-1a", "10.0.8.0/27", public: true,
                       tags: ["kubernetes.io/role/elb": "1", "kubernetes.io/cluster/prod-a": "shared"]),
            ], settings: settings(internalScheme: false))
        #expect(plan.loadBalancerSubnets.internetFacing == ["subnet-0zzz"])
        #expect(plan.subnets[0].add.isEmpty && plan.subnets[1].add.isEmpty)
        #expect(plan.subnets[1].remove.isEmpty)
        // The clean case: nothing pinned, the larger subnet is the intended one.
        let unpinned = SubnetTagSuggester.suggest(
            [subnet("subnet-0aaa", "us-east-1a", "10.0.0.0/22", public: true), subnet("subnet-0zzz", "us-east-1a", "10.0.8.0/27", public: true)],
            settings: settings(internalScheme: false))
        #expect(unpinned.loadBalancerSubnets.internetFacing == ["subnet-0aaa"])
    }

    /// EKS user guide (cluster VPC considerations): dedicated /28 subnets for the control plane's ENIs; they are
    /// not load-balancer subnets. The LBC skips subnets with fewer than 8 free addresses.
    @Test func controlPlaneSubnetsAndFullSubnetsGetNoRoleTags() {
        var full = subnet("subnet-full", "us-east-1b", "10.0.2.0/24", public: false, nodes: true)
        full.freeAddresses = 7
        let plan = SubnetTagSuggester.suggest(
            [
                subnet("subnet-cp-a", "us-east-1a", "10.0.1.0/28", public: false, cluster: true),
                full,
                subnet("subnet-nodes-c", "us-east-1c", "10.0.4.0/22", public: false, nodes: true),
            ], settings: settings(internet: false))
        #expect(plan.subnets[0].add.isEmpty, "no role tag on a dedicated control-plane subnet")
        #expect(plan.subnets[1].add.isEmpty, "7 free addresses: the controller would skip it")
        #expect(plan.loadBalancerSubnets.internal == ["subnet-nodes-c"])
    }

    @Test func wrongRoleTagsAreRemovedAndForeignClustersShared() {
        let plan = SubnetTagSuggester.suggest(
            [
                subnet("subnet-1", "us-east-1a", "10.0.0.0/24", public: false,
                       tags: ["kubernetes.io/role/elb": "1", "kubernetes.io/cluster/old": "owned"], nodes: true),
            ], settings: settings(internet: true, internalScheme: true))
        #expect(plan.subnets[0].remove.first?.ruleId == "TAG-003")
        #expect(plan.subnets[0].add.contains { $0.key == "kubernetes.io/cluster/prod-a" && $0.value == "shared" })
    }

    @Test func oldControllersNeedTheClusterTag() {
        let plan = SubnetTagSuggester.suggest(
            [subnet("subnet-1", "us-east-1a", "10.0.0.0/24", public: true)], settings: settings(controller: SemanticVersion(major: 2, minor: 0, patch: 1)))
        #expect(plan.subnets[0].add.contains { $0.key == "kubernetes.io/cluster/prod-a" && $0.ruleId == "TAG-007" })
    }

    @Test func karpenterAndPodSubnets() {
        let plan = SubnetTagSuggester.suggest(
            [
                subnet("subnet-pub", "us-east-1a", "10.0.0.0/24", public: true),
                subnet("subnet-nodes", "us-east-1a", "10.0.32.0/19", public: false, nodes: true),
                subnet("subnet-pods", "us-east-1a", "100.64.0.0/16", public: false, pods: true),
            ], settings: settings(karpenter: true))
        #expect(plan.subnets[1].add.contains { $0.key == "karpenter.sh/discovery" && $0.value == "prod-a" })
        #expect(!plan.subnets[0].add.contains { $0.key == "karpenter.sh/discovery" })
        #expect(plan.subnets[2].add.map(\.key) == ["kubernetes.io/role/cni"])
        #expect(plan.loadBalancerSubnets.internal == ["subnet-nodes"])
    }

    @Test func karpenterDiscoveryOnlyOnSubnetsNodesMayUse() {
        // Karpenter's subnetSelectorTerms launch nodes into every matching subnet (karpenter.sh "NodeClasses"):
        // the tag stays on the node subnet and comes off the public and the pod-only ones.
        var pub = subnet("subnet-pub", "us-east-1a", "10.0.0.0/24", public: true)
        pub.tags["karpenter.sh/discovery"] = "prod-a"
        var pods = subnet("subnet-pods", "us-east-1a", "100.64.0.0/16", public: false, pods: true)
        pods.tags["karpenter.sh/discovery"] = "prod-a"
        var nodes = subnet("subnet-nodes", "us-east-1a", "10.0.32.0/19", public: false, nodes: true)
        nodes.tags["karpenter.sh/discovery"] = "prod-a"
        var other = subnet("subnet-other", "us-east-1a", "10.0.1.0/24", public: true)
        other.tags["karpenter.sh/discovery"] = "another-cluster"
        let plan = SubnetTagSuggester.suggest([pub, nodes, pods, other], settings: settings(karpenter: true))
        #expect(plan.subnets[0].remove.map(\.key) == ["karpenter.sh/discovery"])
        #expect(plan.subnets[1].add.allSatisfy { $0.key != "karpenter.sh/discovery" } && plan.subnets[1].remove.isEmpty)
        #expect(plan.subnets[2].remove.map(\.key) == ["karpenter.sh/discovery"])
        #expect(plan.subnets[3].remove.allSatisfy { $0.key != "karpenter.sh/discovery" })
        // Without Karpenter planned, existing discovery tags are left alone.
        let without = SubnetTagSuggester.suggest([pub, nodes, pods], settings: settings(karpenter: false))
        #expect(without.subnets.allSatisfy { $0.remove.allSatisfy { $0.key != "karpenter.sh/discovery" } })
    }

    @Test func privateOnlyVPCsGetInternalTagsOnly() {
        let plan = SubnetTagSuggester.suggest(
            [subnet("subnet-1", "us-east-1a", "10.0.0.0/24", public: false, nodes: true)],
            settings: settings(internet: true, internalScheme: false))
        #expect(plan.subnets[0].add.map(\.key) == ["kubernetes.io/role/internal-elb"])
    }

    @Test(arguments: [
        ("plain", "plain"), ("Key=a,Value=b", "Key=a,Value=b"), ("it's", #"'it'\''s'"#), ("a b", "'a b'"), ("", "''"),
        ("$(rm -rf /)", "'$(rm -rf /)'"),
    ])
    func shellQuoting(text: String, quoted: String) {
        #expect(AWSCLICommands.shellQuote(text) == quoted)
    }

    @Test func shorthandEscapesCommasInValues() {
        let suggestion = SubnetTagSuggestion(
            subnetId: "subnet-1", availabilityZone: "us-east-1a", isPublic: true, loadBalancerScheme: nil,
            add: [TagChange(key: "team", value: "a,b c", ruleId: "X", reason: "")], remove: [])
        #expect(AWSCLICommands.tagCommands([suggestion], region: nil) == [
            #"aws ec2 create-tags --resources subnet-1 --tags 'Key=team,Value=a\,b c'"#
        ])
    }
}
