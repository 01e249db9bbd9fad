import Testing

@testable import EKSNetCore

/// One node's pool manager reconcile by reconcile, as pkg/ipamd/ipamd.go runs it: a refused assignment goes on to
/// a new ENI from 1.18.3 with subnet discovery (aws/amazon-vpc-cni-k8s#2954), and one increase or decrease per
/// reconcile (`updateIPPoolIfRequired`, once per 5 s in StartNodeIPPoolManager). Each timeline is worked out by hand
/// in the comments; ticks are 5 s apart, t = 0 is the node's launch.
@Suite struct IPAMDReconcileTests {
    /// One m5.large (3 ENIs × 9 secondaries) with WARM_IP_TARGET=2 and 4 pods. Its subnet has 3 free addresses:
    /// the node's own primary takes one, the first assignment (2) the other two. A discovery-tagged pod subnet
    /// in the same zone has 251.
    func starvedNodeSubnet(cni: CNISettingsInput, duration: Int = 300) throws -> SimulationResult {
        try IPAllocationSimulator.run(
            SimulationInput(
                durationSeconds: duration, seed: 1, fillOrder: .firstFit, maxPoints: 1000, eniAttachLatencySeconds: 0,
                subnets: [
                    .init(subnetId: "node", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24", availableIpAddressCount: 3),
                    .init(subnetId: "pods", availabilityZone: "us-east-1a", cidrBlock: "10.0.1.0/24", podSubnet: true),
                ],
                cni: cni,
                nodeGroups: [.init(name: "ng", instanceType: "m5.large", subnetIds: ["node"], nodes: 1)],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: 4)], compareAlternatives: false),
            aws: .embedded)
    }

    @Test func aRefusedAssignmentGoesOnToANewENIFrom1183() throws {
        // t=0: available 0, short 2: AssignPrivateIpAddresses(2) on the primary ENI (ok; the node subnet is now
        //   empty); 2 pods bound, 2 wait.
        // t=5: short 2: the primary ENI has room; Assign(2) refused, Assign(1) refused; with discovery the ENI is
        //   skipped (no back-off), no other ENI has room, a slot is free: CreateNetworkInterface with 2 addresses,
        //   in the subnet with the most free addresses (the pod subnet), attached; the 2 waiting pods bind.
        // t=10: available 0, short 2: the primary ENI is refused twice more and skipped; the second ENI takes 2.
        // t=15 on: available 2, nothing to do. Assign: 1 + 2 + 3 = 6 calls, 4 refused; 1 create, 1 attach.
        let result = try starvedNodeSubnet(cni: CNISettingsInput(version: "1.18.3", warmIpTarget: 2))
        let calls = result.events.ec2Calls
        #expect(calls.assign == 6)
        #expect(result.events.failedEc2Calls.assign == 4)
        #expect(calls.createEni == 1)
        #expect(calls.attachEni == 1)
        #expect(result.events.failedEc2Calls.createEni == 0)
        let enis = result.nodeGroups[0].enis
        #expect(enis[result.times.firstIndex(of: 0)!] == 1)
        #expect(enis[result.times.firstIndex(of: 5)!] == 2)
        #expect(result.nodeGroups[0].assigned.last == 4)
        #expect(result.summary.podsPendingAtEnd == 0)
        #expect(result.subnets[1].freeAddresses.last == 251 - 5)
    }

    @Test func before1183ARefusedAssignmentBacksOffInstead() throws {
        // 1.18.2 (discovery on, the fix not yet in) and 1.20.0 with ENABLE_SUBNET_DISCOVERY=false: the refusal at
        // t=5 (2 calls) is an error; increaseDatastorePool stamps lastInsufficientCidrError and returns: no ENI is
        // created. The retries come 120 s on, at t=125 and t=245 (2 refused calls each). Assign: 1 + 3 × 2 = 7,
        // 6 refused; no create; 2 pods wait to the end.
        for cni in [
            CNISettingsInput(version: "1.18.2", warmIpTarget: 2),
            CNISettingsInput(version: "1.20.0", warmIpTarget: 2, enableSubnetDiscovery: false),
        ] {
            let result = try starvedNodeSubnet(cni: cni)
            #expect(result.events.ec2Calls.assign == 7)
            #expect(result.events.failedEc2Calls.assign == 6)
            #expect(result.events.ec2Calls.createEni == 0)
            #expect(result.nodeGroups[0].enis.last == 1)
            #expect(result.summary.podsPendingAtEnd == 2)
        }
    }

    @Test func withoutAFreeSlotARefusedAssignmentIsRetriedEveryReconcile() throws {
        // MAX_ENI=1: no slot for a new ENI. From 1.18.3 the refused, skipped ENI ends the increase with no error
        // and no back-off: two refused calls at every reconcile from t=5 to t=300, 60 × 2 = 120, plus the first
        // assignment. Before 1.18.3 the refusal backs off: t=5, 125, 245, 3 × 2 = 6 refused.
        let fixed = try starvedNodeSubnet(cni: CNISettingsInput(version: "1.20.0", maxEni: 1, warmIpTarget: 2))
        #expect(fixed.events.ec2Calls.assign == 121)
        #expect(fixed.events.failedEc2Calls.assign == 120)
        #expect(fixed.events.ec2Calls.createEni == 0)
        let before = try starvedNodeSubnet(cni: CNISettingsInput(version: "1.18.2", maxEni: 1, warmIpTarget: 2))
        #expect(before.events.ec2Calls.assign == 7)
        #expect(before.events.failedEc2Calls.assign == 6)
    }

    @Test func theBackOffRetriesAtTheReconcile120SecondsOn() {
        // time.Since(last) <= 120s with 5 s sleeps plus the work between: the 24th reconcile after the refusal
        // is the first past 120 s.
        #expect(IPAMDPolicy.isCoolingAfterRefusal(secondsSince: 115))
        #expect(!IPAMDPolicy.isCoolingAfterRefusal(secondsSince: 120))
    }

    @Test func thePatchNumberDecidesTheRefusedAssignment() throws {
        let type = try #require(AWSData.embedded.catalog.instanceType(named: "m5.large"))
        func policy(_ version: String, discovery: Bool = true) throws -> IPAMDPolicy {
            IPAMDPolicy(
                instanceType: type, settings: WarmPoolSettings(), maxPods: 29, cniVersion: try CNIVersion(parsing: version),
                subnetDiscoveryEnabled: discovery)
        }
        #expect(try !policy("1.18.2").skipsENIsThatRefuseAddresses)
        #expect(try policy("1.18.2").backsOffAfterRefusedAssign)
        #expect(try policy("1.18.3").skipsENIsThatRefuseAddresses)
        #expect(try policy("1.18.3-eksbuild.1").skipsENIsThatRefuseAddresses)
        #expect(try !policy("1.18.3").backsOffAfterRefusedAssign)
        #expect(try !policy("1.20.0", discovery: false).skipsENIsThatRefuseAddresses)
        #expect(try policy("1.20.0", discovery: false).backsOffAfterRefusedAssign)
        #expect(try !policy("1.17.1").subnetDiscovery)
    }

    /// One m5.large with WARM_ENI_TARGET=2 (18 spare addresses) and 5 pods, attach latency as given.
    func warmTwoENIs(latency: Int) throws -> SimulationResult {
        try IPAllocationSimulator.run(
            SimulationInput(
                durationSeconds: 120, seed: 1, fillOrder: .firstFit, maxPoints: 1000, eniAttachLatencySeconds: latency,
                subnets: [.init(subnetId: "s", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/24")],
                cni: CNISettingsInput(version: "1.20.0", warmEniTarget: 2),
                nodeGroups: [.init(name: "ng", instanceType: "m5.large", subnetIds: ["s"], nodes: 1)],
                workloads: [.init(name: "app", nodeGroup: "ng", pods: 5)], compareAlternatives: false),
            aws: .embedded)
    }

    func enis(_ result: SimulationResult, at seconds: [Int]) -> [Int] {
        seconds.map { result.nodeGroups[0].enis[result.times.firstIndex(of: $0)!] }
    }

    @Test func onePoolActionPerReconcile() throws {
        // Latency 0: t=0 Assign(9) on the primary ENI, 5 pods bind, available 4 < 18; t=5 one new ENI (9),
        // available 13 < 18 still, but that reconcile is done; t=10 the third ENI, available 22.
        let instant = try warmTwoENIs(latency: 0)
        #expect(enis(instant, at: [0, 5, 10, 15]) == [1, 2, 3, 3])
        #expect(instant.events.ec2Calls.assign == 1)
        #expect(instant.events.ec2Calls.createEni == 2)
        // Latency 5: the ENI created at t=5 is in IMDS at t=10, where that update ends; the next decision is at
        // t=15 (the third ENI), in IMDS at t=20.
        #expect(enis(try warmTwoENIs(latency: 5), at: [5, 10, 15, 20]) == [1, 2, 2, 3])
        // Latency 10: created at 5, attached at 15; the next created at 20, attached at 30.
        #expect(enis(try warmTwoENIs(latency: 10), at: [10, 15, 25, 30]) == [1, 2, 2, 3])
    }
}
