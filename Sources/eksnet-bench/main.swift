import EKSNetCore
import EKSNetJSON
import EKSNetServer
import Foundation

// In-process benchmarks of the core; prints figures, asserts nothing. Run: swift run -c release eksnet-bench

/// Runs `body` `iterations` times and returns per-run durations in microseconds.
func measure(_ iterations: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var samples: [Double] = []
    samples.reserveCapacity(iterations)
    let clock = ContinuousClock()
    for _ in 0..<iterations {
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    return samples
}

func report(_ name: String, _ samples: [Double]) {
    let sorted = samples.sorted()
    let mean = samples.reduce(0, +) / Double(samples.count)
    let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    print(String(format: "%-44@ mean %9.1f µs   p50 %9.1f µs   p99 %9.1f µs   (%d runs)",
                 name as NSString, mean, sorted[sorted.count / 2], p99, samples.count))
}

let arguments = CommandLine.arguments.dropFirst()
let selected = Set(arguments)
func wants(_ name: String) -> Bool { selected.isEmpty || selected.contains(name) }

if wants("capacity") {
    let body = """
        {"cni": {"version": "1.19.0"}, "nodeGroups": [
          {"name": "general", "instanceTypes": ["m5.large"], "minSize": 3, "desiredSize": 6, "maxSize": 30},
          {"name": "big", "instanceTypes": ["m5.4xlarge", "m5.8xlarge"], "minSize": 0, "maxSize": 10, "extraDaemonSetPods": 3},
          {"name": "dense", "instanceTypes": ["m5.xlarge"], "minSize": 1, "maxSize": 5, "maxPods": 110, "cni": {"prefixDelegation": true}}]}
        """
    let data = Data(body.utf8)
    let request = try JSONDecoder().decode(CapacityRequest.self, from: data)
    let report1 = try request.evaluate(aws: .embedded)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    report("capacity: decode request (Foundation)", try measure(5000) { _ = try JSONDecoder().decode(CapacityRequest.self, from: data) })
    let bytes = Array(data)
    report("capacity: strict RFC 8259 read (EKSNetJSON)", measure(5000) { _ = JSONDiagnosis.validate(bytes) })
    report("capacity: decode request (tree decoder)", try measure(5000) {
        _ = try bytes.withUnsafeBytes { try JSONValueDecoder().decode(CapacityRequest.self, from: $0) }
    })
    report("capacity: read + decode + unknown fields, as the server does", try measure(5000) {
        guard JSONDiagnosis.validate(bytes) == .none else { fatalError("the benchmark body is not JSON") }
        _ = try bytes.withUnsafeBytes { try JSONValueDecoder().decodeReportingUnknownFields(CapacityRequest.self, from: $0) }
    })
    report("capacity: evaluate (3 node groups)", try measure(5000) { _ = try request.evaluate(aws: .embedded) })
    report("capacity: encode report (Foundation)", try measure(5000) { _ = try encoder.encode(report1) })
    report("capacity: encode report (streaming)", try measure(5000) { _ = try StreamingJSONEncoder().encode(report1) })
}

// One step alone, many times, for a profiler: `eksnet-bench capacity-encode` or `capacity-decode`.
if selected.contains("capacity-encode") || selected.contains("capacity-decode") {
    let bytes = Array("""
        {"cni": {"version": "1.19.0"}, "nodeGroups": [
          {"name": "general", "instanceTypes": ["m5.large"], "minSize": 3, "desiredSize": 6, "maxSize": 30},
          {"name": "big", "instanceTypes": ["m5.4xlarge", "m5.8xlarge"], "minSize": 0, "maxSize": 10, "extraDaemonSetPods": 3},
          {"name": "dense", "instanceTypes": ["m5.xlarge"], "minSize": 1, "maxSize": 5, "maxPods": 110, "cni": {"prefixDelegation": true}}]}
        """.utf8)
    let request = try bytes.withUnsafeBytes { try JSONValueDecoder().decode(CapacityRequest.self, from: $0) }
    let evaluated = try request.evaluate(aws: .embedded)
    if selected.contains("capacity-encode") {
        report("capacity: encode report x100000", try measure(100_000) { _ = try StreamingJSONEncoder().encode(evaluated) })
    } else {
        report("capacity: decode request x100000", try measure(100_000) {
            _ = try bytes.withUnsafeBytes { try JSONValueDecoder().decodeReportingUnknownFields(CapacityRequest.self, from: $0) }
        })
    }
}

// `simulation-warm-ip`: the same run under WARM_IP_TARGET=5, where every node looks for an ENI to free on every
// reconcile and none can be skipped: the cost of a node-tick actually played.
if wants("simulation") || selected.contains("simulation-warm-ip") {
    // 2,000 m5.large nodes, 40,000 pods in one /16, one simulated hour (720 ticks) with a rolling restart.
    let playsEveryTick = selected.contains("simulation-warm-ip")
    let input = SimulationInput(
        durationSeconds: 3600, seed: 7, fillOrder: .firstFit, maxPoints: 200, eniAttachLatencySeconds: 5,
        subnets: [.init(subnetId: "subnet-big", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/16")],
        cni: CNISettingsInput(version: "1.19.0", warmIpTarget: playsEveryTick ? 5 : nil), eniConfigs: nil,
        nodeGroups: [.init(name: "workers", instanceType: "m5.large", subnetIds: ["subnet-big"], nodes: 2000)],
        workloads: [.init(name: "web", nodeGroup: "workers", pods: 40_000)],
        events: [.init(at: 1800, type: "rollingRestart", workload: "web", batchPercent: 10)],
        compareAlternatives: false)
    // The embedded AWS data is built on first use: built before the clock starts, it is not counted as simulation.
    let aws = AWSData.embedded
    let clock = ContinuousClock()
    let start = clock.now
    let result = try IPAllocationSimulator.run(input, aws: aws)
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(String(format: "%@: %d node-ticks in %.3f s = %.1f million node-ticks/s; peak RSS %.1f MiB",
                 (playsEveryTick ? "simulation-warm-ip" : "simulation") as NSString, result.summary.nodeTicks, seconds, Double(result.summary.nodeTicks) / seconds / 1e6,
                 Double(usage.ru_maxrss) / 1024))
    print("simulation: peak addresses held \(result.summary.peakAddressesHeld), peak pending \(result.summary.peakPodsPending), "
          + "pending at end \(result.summary.podsPendingAtEnd), EC2 calls \(result.events.ec2Calls)")
}

/// The largest runs the limits allow, in several shapes: node-ticks per second must not depend on the shape.
if selected.contains("simulation-shapes") {
    func group(_ name: String, _ type: String, _ nodes: Int) -> SimulationInput.SimulatedNodeGroup {
        .init(name: name, instanceType: type, subnetIds: ["a", "b"], nodes: nodes)
    }
    let subnets: [SimulationInput.SimulatedSubnet] = [
        .init(subnetId: "a", availabilityZone: "us-east-1a", cidrBlock: "10.0.0.0/16"),
        .init(subnetId: "b", availabilityZone: "us-east-1b", cidrBlock: "10.1.0.0/16"),
    ]
    let shapes: [(String, SimulationInput)] = [
        ("two groups of 5,000 with rolling restarts", SimulationInput(
            durationSeconds: 25_000, seed: 7, subnets: subnets,
            nodeGroups: [group("one", "m5.large", 5000), group("two", "m5.xlarge", 5000)],
            workloads: [.init(name: "w1", nodeGroup: "one", pods: 100_000), .init(name: "w2", nodeGroup: "two", pods: 150_000)],
            events: [.init(at: 3600, type: "rollingRestart", workload: "w1"), .init(at: 7200, type: "rollingRestart", workload: "w2")],
            compareAlternatives: false)),
        ("one group of 5,000, steady", SimulationInput(
            durationSeconds: 50_000, seed: 7, subnets: subnets, nodeGroups: [group("one", "m5.large", 5000)],
            workloads: [.init(name: "w1", nodeGroup: "one", pods: 100_000)], compareAlternatives: false)),
        ("1,000 nodes scaling up and down every 10 min", SimulationInput(
            durationSeconds: 86_400, seed: 7, subnets: subnets, nodeGroups: [group("one", "m5.large", 1000)],
            workloads: [.init(name: "w1", nodeGroup: "one", pods: 20_000)],
            events: (1..<144).map { .init(at: $0 * 600, type: "scaleNodeGroup", nodeGroup: "one", nodes: $0 % 2 == 0 ? 1000 : 500) },
            compareAlternatives: false)),
    ]
    for (name, input) in shapes {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try IPAllocationSimulator.run(input, aws: .embedded)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "simulation shape %-46@ %11d node-ticks in %7.2f s = %6.1f million node-ticks/s",
                     name as NSString, result.summary.nodeTicks, seconds, Double(result.summary.nodeTicks) / seconds / 1e6))
    }
}

if wants("plan") {
    // A 12-subnet, 10-node-group plan: 3 AZs × (public, node, pod-spill, cluster) subnets.
    let zones = ["us-west-2a", "us-west-2b", "us-west-2c"]
    var subnets: [ClusterPlan.Subnet] = []
    for (index, zone) in zones.enumerated() {
        subnets.append(.init(subnetId: "subnet-public-\(index)", availabilityZone: zone, cidrBlock: "10.0.\(index).0/24",
                             defaultRoute: "igw", mapPublicIpOnLaunch: true, tags: ["kubernetes.io/role/elb": "1"]))
        subnets.append(.init(subnetId: "subnet-nodes-\(index)", availabilityZone: zone, cidrBlock: "10.0.\(32 * (index + 1)).0/19",
                             defaultRoute: "nat", tags: ["kubernetes.io/role/internal-elb": "1"]))
        subnets.append(.init(subnetId: "subnet-spill-\(index)", availabilityZone: zone, cidrBlock: "10.0.\(128 + 32 * index).0/19",
                             defaultRoute: "nat", availableIpAddressCount: 6000))
        subnets.append(.init(subnetId: "subnet-cluster-\(index)", availabilityZone: zone, cidrBlock: "10.0.4.\(32 * index)/27",
                             defaultRoute: "nat"))
    }
    let types = ["m5.large", "m5.xlarge", "m5.2xlarge", "c5.4xlarge", "r5.large", "m6i.8xlarge", "t3.medium", "c6g.xlarge", "m5.24xlarge", "p3dn.24xlarge"]
    let groups = types.enumerated().map { index, type in
        NodeGroupInput(name: "ng-\(index)", instanceTypes: [type], minSize: 1, desiredSize: 3, maxSize: 20 + index * 5,
                       cni: index % 3 == 0 ? CNISettingsInput(prefixDelegation: true) : nil,
                       subnetIds: ["subnet-nodes-0", "subnet-nodes-1", "subnet-nodes-2"])
    }
    let data = try JSONEncoder().encode(subnets)
    let plan = try JSONDecoder().decode(ClusterPlan.self, from: Data("""
        {"clusterName":"bench","region":"us-west-2","vpc":{"cidrBlocks":["10.0.0.0/16"],"enableDnsSupport":true,"enableDnsHostnames":true},
         "serviceIpv4Cidr":"172.20.0.0/16","subnets":\(String(decoding: data, as: UTF8.self)),"clusterSubnetIds":["subnet-cluster-0","subnet-cluster-1","subnet-cluster-2"],
         "natGateways":[{"natGatewayId":"nat-0","subnetId":"subnet-public-0"},{"natGatewayId":"nat-1","subnetId":"subnet-public-1"},{"natGatewayId":"nat-2","subnetId":"subnet-public-2"}],
         "loadBalancers":{"internetFacing":true,"internal":true},"cni":{"version":"1.19.0"}}
        """.utf8))
    var full = plan
    full.nodeGroups = groups
    let evaluation = try PlanEvaluator.evaluate(full, aws: .embedded)
    precondition(evaluation.subnets.count == 12 && evaluation.capacity.count == 10)
    report("plan: evaluate (12 subnets, 10 node groups)", try measure(2000) { _ = try PlanEvaluator.evaluate(full, aws: .embedded) })
}

if selected.contains("capacity-evaluate-only") {
    let request = try JSONDecoder().decode(CapacityRequest.self, from: Data("""
        {"cni": {"version": "1.19.0"}, "nodeGroups": [
          {"name": "general", "instanceTypes": ["m5.large"], "minSize": 3, "desiredSize": 6, "maxSize": 30},
          {"name": "big", "instanceTypes": ["m5.4xlarge", "m5.8xlarge"], "minSize": 0, "maxSize": 10, "extraDaemonSetPods": 3},
          {"name": "dense", "instanceTypes": ["m5.xlarge"], "minSize": 1, "maxSize": 5, "maxPods": 110, "cni": {"prefixDelegation": true}}]}
        """.utf8))
    report("capacity: evaluate x200000", try measure(200_000) { _ = try request.evaluate(aws: .embedded) })
}
