import EKSNetCore
import EKSNetJSON
import Foundation

/// The parsers that take outside input, each as a function of raw bytes that must never trap, hang or break an
/// invariant: libFuzzer drives them (`eksnet-fuzz`, `scripts/fuzz`), and the tests replay every input the fuzzer
/// kept (`Tests/Fixtures/fuzz/<target>/`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The strict JSON reader: a body it calls sound must also be JSON to Foundation and to the tree reader, and
    /// the tree decoder must read it as Foundation's decoder does.
    case json
    /// IPv4 addresses and CIDR blocks: a parsed block prints and parses back to itself.
    case cidr
    /// `POST /v1/capacity` bodies, decoded and evaluated.
    case capacity
    /// `POST /v1/plans` bodies, resolved and evaluated.
    case plan
    /// `POST /v1/audits` bodies (the AWS CLI's `describe-*` output), audited.
    case audit
    /// `POST /v1/simulations` bodies, validated, and run when small.
    case simulation
    /// `POST /v1/subnet-tags` and `POST /v1/layouts` bodies.
    case tagsAndLayouts

    /// Runs one input. A violated invariant stops the process (a finding), as a trap would.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .json: Self.json(bytes)
        case .cidr: Self.cidr(bytes)
        case .capacity:
            guard let request = Self.decode(CapacityRequest.self, bytes) else { return }
            _ = try? request.evaluate(aws: .embedded)
        case .plan:
            guard let plan = Self.decode(ClusterPlan.self, bytes), let context = try? PlanContext(plan, aws: .embedded) else { return }
            _ = PlanEvaluator.evaluate(context)
        case .audit:
            guard let request = Self.decode(AuditRequest.self, bytes) else { return }
            _ = try? VPCAuditor.audit(request, aws: .embedded)
        case .simulation:
            guard let input = Self.decode(SimulationInput.self, bytes), let setup = try? SimulationSetup(input, aws: .embedded) else {
                return
            }
            // Small runs only: the fuzzer looks for traps, not for the cost of large runs.
            if setup.nodeTickBound <= 20_000 { _ = IPAllocationSimulator.run(setup) }
        case .tagsAndLayouts:
            if let request = Self.decode(SubnetTagRequest.self, bytes) { _ = try? request.suggest() }
            if let request = Self.decode(LayoutRequest.self, bytes) { _ = try? LayoutPlanner.propose(request, aws: .embedded) }
        }
    }

    /// Decodes as the server does: the strict reader first, then the tree decoder.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        guard JSONDiagnosis.validate(bytes) == .none else { return nil }
        return try? bytes.withUnsafeBytes { try JSONValueDecoder().decode(type, from: $0) }
    }

    static func json(_ bytes: [UInt8]) {
        let finding = JSONDiagnosis.validate(bytes)
        _ = JSONDiagnosis.diagnose(bytes)
        guard finding == .none else { return }
        // Sound to the strict reader: Foundation must read it too (it is the decoder behind every route).
        let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        let text = String(decoding: bytes, as: UTF8.self)
        precondition(parsed != nil, "the strict reader accepted what Foundation refuses: \(text)")
        precondition(bytes.withUnsafeBytes { JSONValue.parse($0) } != nil, "the tree reader refused a sound body: \(text)")
        // The tree decoder and Foundation's decode every sound body to the same value, or both refuse it.
        let ours = try? bytes.withUnsafeBytes { try JSONValueDecoder().decode(CapacityRequest.self, from: $0) }
        let theirs = try? JSONDecoder().decode(CapacityRequest.self, from: Data(bytes))
        precondition(ours == theirs, "the tree decoder and Foundation disagree: \(text)")
    }

    static func cidr(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let address = try? IPv4Address(parsing: text) {
            precondition((try? IPv4Address(parsing: address.description)) == address, "address round trip: \(text)")
        }
        guard let block = try? CIDRBlock(parsing: text) else { return }
        precondition((try? CIDRBlock(parsing: block.description)) == block, "block round trip: \(text)")
        precondition(block.contains(block.network), "a block contains its network address: \(text)")
        // Splitting into a nearby length must give blocks inside the original, in order.
        let longer = min(32, block.prefixLength + Int(bytes.first ?? 0) % 4)
        if let parts = try? block.split(into: longer) {
            var previous: CIDRBlock?
            for part in parts.prefix(64) {
                precondition(block.contains(part), "split part outside: \(text)")
                if let previous { precondition(previous < part, "split parts out of order: \(text)") }
                previous = part
            }
        }
    }
}
