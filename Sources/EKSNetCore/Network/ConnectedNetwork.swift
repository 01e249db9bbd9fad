/// A network the VPC routes to (on-premises through a VPN or Direct Connect, another VPC through a transit
/// gateway or peering): `"10.1.0.0/16"`, or `{"cidrBlock": "10.1.0.0/16", "providesInternetEgress": true}` for
/// a central egress network that a transit or virtual private gateway route reaches the internet through.
public struct ConnectedNetwork: Hashable, Codable, Sendable, ExpressibleByStringLiteral {
    public var cidrBlock: String
    /// The network carries this VPC's internet traffic (a central egress VPC, an on-premises proxy path).
    public var providesInternetEgress: Bool?

    public init(cidrBlock: String, providesInternetEgress: Bool? = nil) {
        self.cidrBlock = cidrBlock
        self.providesInternetEgress = providesInternetEgress
    }

    public init(stringLiteral value: String) {
        self.init(cidrBlock: value)
    }

    enum CodingKeys: String, CodingKey { case cidrBlock, providesInternetEgress }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(cidrBlock: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            cidrBlock: try container.decode(String.self, forKey: .cidrBlock),
            providesInternetEgress: try container.decodeIfPresent(Bool.self, forKey: .providesInternetEgress))
    }

    /// Written back as it came: a bare CIDR when nothing else is said.
    public func encode(to encoder: any Encoder) throws {
        if providesInternetEgress == nil {
            var container = encoder.singleValueContainer()
            try container.encode(cidrBlock)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cidrBlock, forKey: .cidrBlock)
        try container.encodeIfPresent(providesInternetEgress, forKey: .providesInternetEgress)
    }
}
