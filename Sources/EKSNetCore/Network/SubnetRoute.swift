/// One route of a subnet's effective route table (its own, else the VPC's main table), typed. A plan writes a
/// subnet's routes as `"routes": {"0.0.0.0/0": "nat-0abc", "10.8.0.0/16": "tgw-0123", "pl-63a5400a": "vpce-0abc"}`;
/// the audit derives them from describe-route-tables. The VPC's `local` routes carry nothing a rule needs and are
/// left out.
public struct SubnetRoute: Hashable, Sendable {
    public enum Destination: Hashable, Sendable, CustomStringConvertible {
        case ipv4(CIDRBlock)
        /// IPv6 blocks are carried as text (shape-checked).
        case ipv6(String)
        /// A managed prefix list (`pl-…`), such as the one of a gateway endpoint.
        case prefixList(String)

        public static let accepted = "an IPv4 CIDR (0.0.0.0/0, 10.8.0.0/16), an IPv6 CIDR (::/0) or a prefix list id (pl-0abc)"

        public init?(parsing text: String) {
            if let block = try? CIDRBlock(parsing: text) {
                self = .ipv4(block)
            } else if IPv6Block.looksValid(text) {
                self = .ipv6(text.lowercased())
            } else if text.lowercased().hasPrefix("pl-"), text.count > 3, text.count <= 40,
                text.dropFirst(3).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            {
                self = .prefixList(text.lowercased())
            } else {
                return nil
            }
        }

        public var isIPv4Default: Bool {
            if case .ipv4(let block) = self { return block.prefixLength == 0 }
            return false
        }
        public var isIPv6Default: Bool {
            if case .ipv6(let text) = self { return text.hasSuffix("/0") }
            return false
        }

        public var description: String {
            switch self {
            case .ipv4(let block): block.description
            case .ipv6(let text), .prefixList(let text): text
            }
        }
    }

    public let destination: Destination
    public let target: RouteTarget

    public init(destination: Destination, target: RouteTarget) {
        self.destination = destination
        self.target = target
    }

    /// At most this many routes per subnet: a route table holds 50 IPv4 and 50 IPv6 routes by default and at most
    /// 1,000 by quota.
    public static let countRange = 0...1_000

    /// Two words for one route agree when they name the same kind and, where both name a resource, the same one.
    static func agree(_ a: RouteTarget, _ b: RouteTarget) -> Bool {
        guard a.kind == b.kind else { return false }
        guard let first = a.resourceId, let second = b.resourceId else { return true }
        return first == second
    }
}
