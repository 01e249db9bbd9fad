/// A VPC CNI (amazon-vpc-cni-k8s) version as max-pods-calculator.sh reads it: MAJOR.MINOR, numeric; anything after
/// the minor part (`.0-eksbuild.1`) is kept for display and ignored for comparison. A leading `v` is refused, as the
/// script refuses it.
public struct CNIVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    /// The patch number when the third part starts with digits (`0` of `1.9.0-eksbuild.1`); ignored by the
    /// calculator, used where AWS names a patch release (IPv6 needs 1.10.1).
    public let patch: Int
    /// The text as given.
    public let text: String

    /// The version eksnet assumes when none is given: a current release line.
    public static let current = CNIVersion(major: 1, minor: 20, text: "1.20.0")
    /// Prefix delegation (IPv4 /28 prefixes) needs at least this version.
    public static let prefixDelegationMinimum = CNIVersion(major: 1, minor: 9, text: "1.9.0")
    /// IPv6 clusters need at least 1.10.1; MAJOR.MINOR comparison makes this 1.10.
    public static let ipv6Minimum = CNIVersion(major: 1, minor: 10, patch: 1, text: "1.10.1")
    /// Subnet discovery (`kubernetes.io/role/cni` subnets) arrived in 1.18.
    public static let subnetDiscoveryMinimum = CNIVersion(major: 1, minor: 18, text: "1.18.0")
    /// From 1.10.0 ipamd stops growing the pool for 120 s after an "Insufficient…" answer to assigning addresses
    /// (`insufficientCidrErrorCooldown`, aws/amazon-vpc-cni-k8s#1585); before, it retried on every reconcile.
    public static let insufficientAddressBackoffMinimum = CNIVersion(major: 1, minor: 10, text: "1.10.0")
    /// From 1.16.0 ipamd creates an ENI with its addresses in one CreateNetworkInterface call, and a refused
    /// creation starts the back-off too; before, it created the ENI, attached it, then assigned the addresses, and
    /// a refused creation was retried on every reconcile.
    public static let eniCreatedWithAddressesMinimum = CNIVersion(major: 1, minor: 16, text: "1.16.0")
    /// From 1.18.3, with subnet discovery on, `tryAssignIPs` and `tryAssignPrefixes` skip an ENI whose subnet
    /// refuses addresses and `increaseDatastorePool` goes on to create an ENI, without the back-off
    /// (aws/amazon-vpc-cni-k8s#2954, "Subnet Discovery - Unfilled ENI fix"); only a refused creation backs off.
    /// Compared with its patch number (`isAtLeast(patchRelease:)`).
    public static let refusedAssignmentCreatesENIMinimum = CNIVersion(major: 1, minor: 18, patch: 3, text: "1.18.3")

    init(major: Int, minor: Int, patch: Int = 0, text: String) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.text = text
    }

    /// Parses `1.19.0`, `1.9.0-eksbuild.1` or `1.10`; refuses `v1.10.0`, `1`, and parts over four digits.
    public init(parsing text: String) throws(CapacityError) {
        // Read as bytes in one pass: every request names a version, and splitting the string cost more than the
        // capacity arithmetic it feeds. MAJOR and MINOR are 1–4 digits; PATCH is the leading digits (at most four)
        // of whatever follows the second dot, and what follows that dot must not be empty.
        var major = 0, minor = 0, patch = 0
        var majorDigits = 0, minorDigits = 0, patchDigits = 0
        var part = 0
        var afterPatchDigits = false
        for byte in text.utf8 {
            switch part {
            case 0, 1:
                if byte == UInt8(ascii: ".") {
                    part += 1
                    continue
                }
                guard Self.isDigit(byte) else { throw .invalidCNIVersion(text) }
                let digit = Int(byte - UInt8(ascii: "0"))
                if part == 0 {
                    guard majorDigits < 4 else { throw .invalidCNIVersion(text) }
                    major = major * 10 + digit
                    majorDigits += 1
                } else {
                    guard minorDigits < 4 else { throw .invalidCNIVersion(text) }
                    minor = minor * 10 + digit
                    minorDigits += 1
                }
            default:
                if !afterPatchDigits && Self.isDigit(byte) && patchDigits < 4 {
                    patch = patch * 10 + Int(byte - UInt8(ascii: "0"))
                    patchDigits += 1
                } else {
                    afterPatchDigits = true
                }
            }
        }
        let emptyPatch = part == 2 && patchDigits == 0 && !afterPatchDigits
        guard part >= 1, majorDigits > 0, minorDigits > 0, !emptyPatch else { throw .invalidCNIVersion(text) }
        self.init(major: major, minor: minor, patch: patch, text: text)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// Whether this version can hand out /28 prefixes.
    public var supportsPrefixDelegation: Bool { self >= Self.prefixDelegationMinimum }

    /// Whether this version is at least `other`, patch included.
    public func isAtLeast(patchRelease other: CNIVersion) -> Bool {
        (major, minor, patch) >= (other.major, other.minor, other.patch)
    }

    public static func < (lhs: CNIVersion, rhs: CNIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public static func == (lhs: CNIVersion, rhs: CNIVersion) -> Bool {
        (lhs.major, lhs.minor) == (rhs.major, rhs.minor)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
    }

    public var description: String { text }
}

extension CNIVersion: TextCodable {
    public init(text: String) throws {
        try self.init(parsing: text)
    }
}
