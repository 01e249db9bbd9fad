import Foundation

/// What `aws ec2 describe-instance-types --output json` prints — one page, or several pages concatenated as
/// `--no-paginate` runs or `cat page-*.json` leave them — read into instance types whose `limitsSource` is `file`.
/// Used to teach eksnet types AWS launched after the build, without a rebuild (`--instance-types-file`).
public enum DescribeInstanceTypesOutput {
    /// Why a file was refused: where (which document of a concatenation, and a JSON pointer into it) and why.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1 for the first JSON document in the file.
        public var document: Int
        /// RFC 6901 pointer into that document; empty for the document itself.
        public var pointer: String
        public var reason: String

        public var description: String {
            "document \(document), \(pointer.isEmpty ? "top level" : pointer): \(reason)"
        }
    }

    /// The largest file read: all of EC2's instance types as the CLI prints them are about 4 MB.
    public static let maximumBytes = 64 << 20

    /// Limits past which a figure cannot be a real instance type's (the largest today: 64 ENIs on one card,
    /// 50 IPv4 addresses per ENI, 16 network cards, 896 vCPUs, 32 TiB of memory).
    static let maximumENIsPerCard = 128
    static let maximumAddressesPerENI = 256
    static let maximumNetworkCards = 64
    static let maximumVCPUs = 8192
    static let maximumMemoryMiB = 1 << 27

    /// The instance types of every page, in file order. Each name may appear once.
    public static func instanceTypes(from bytes: [UInt8]) throws(Problem) -> [InstanceType] {
        guard bytes.count <= maximumBytes else {
            throw Problem(document: 1, pointer: "", reason: "the file is larger than \(maximumBytes >> 20) MiB")
        }
        let documents = try splitDocuments(bytes)
        guard !documents.isEmpty else {
            throw Problem(document: 1, pointer: "", reason: "the file holds no JSON; expected the output of "
                + "aws ec2 describe-instance-types --output json")
        }
        var types: [InstanceType] = []
        var seen: [String: (document: Int, pointer: String)] = [:]
        for (offset, range) in documents.enumerated() {
            let document = offset + 1
            let page: Page
            do {
                page = try JSONDecoder().decode(Page.self, from: Data(bytes[range]))
            } catch let error as DecodingError {
                throw problem(error, document: document)
            } catch {
                throw Problem(document: document, pointer: "", reason: "not JSON: \(error.localizedDescription)")
            }
            for (index, entry) in page.InstanceTypes.enumerated() {
                let pointer = "/InstanceTypes/\(index)"
                let type = try entry.instanceType(document: document, pointer: pointer)
                if let first = seen[type.name.rawValue] {
                    throw Problem(
                        document: document, pointer: pointer + "/InstanceType",
                        reason: "\(type.name) appears twice (first in document \(first.document) at \(first.pointer))")
                }
                seen[type.name.rawValue] = (document, pointer)
                types.append(type)
            }
        }
        return types
    }

    /// The byte ranges of the top-level JSON values in the file, by bracket depth outside strings. Whether each
    /// is valid JSON is for the decoder to say.
    static func splitDocuments(_ bytes: [UInt8]) throws(Problem) -> [Range<Int>] {
        var documents: [Range<Int>] = []
        var depth = 0
        var start: Int?
        var inString = false
        var escaped = false
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { start = index }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                guard depth >= 0 else {
                    throw Problem(document: documents.count + 1, pointer: "", reason: "unbalanced '\(Character(Unicode.Scalar(byte)))' at byte \(index)")
                }
                if depth == 0, let begin = start {
                    documents.append(begin..<(index + 1))
                    start = nil
                }
            case UInt8(ascii: "\""):
                inString = true
                if depth == 0 { start = start ?? index }
            default:
                if depth == 0 {
                    throw Problem(
                        document: documents.count + 1, pointer: "",
                        reason: "expected a JSON object at byte \(index); the file must be describe-instance-types output")
                }
            }
        }
        if depth != 0 || inString {
            throw Problem(document: documents.count + 1, pointer: "", reason: "the document is cut short (unclosed object or string)")
        }
        return documents
    }

    static func problem(_ error: DecodingError, document: Int) -> Problem {
        func pointer(_ path: [any CodingKey]) -> String {
            path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return Problem(document: document, pointer: pointer(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let context):
            return Problem(document: document, pointer: pointer(context.codingPath), reason: "expected \(expected(type))")
        case .valueNotFound(let type, let context):
            return Problem(document: document, pointer: pointer(context.codingPath), reason: "expected \(expected(type)), found null")
        case .dataCorrupted(let context):
            return Problem(document: document, pointer: pointer(context.codingPath), reason: "not valid JSON (\(context.debugDescription))")
        @unknown default:
            return Problem(document: document, pointer: "", reason: "\(error)")
        }
    }

    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return type == [Any].self ? "an array" : "an object"
        }
    }

    // The CLI's field names, as AWS spells them.
    // swiftlint:disable identifier_name
    struct Page: Decodable {
        var InstanceTypes: [Entry]
    }

    struct Entry: Decodable {
        var InstanceType: String
        var VCpuInfo: VCPUInfo?
        var MemoryInfo: MemoryInfo?
        var Hypervisor: String?
        var BareMetal: Bool?
        var ProcessorInfo: ProcessorInfo?
        var NetworkInfo: NetworkInfo
    }

    struct VCPUInfo: Decodable { var DefaultVCpus: Int }
    struct MemoryInfo: Decodable { var SizeInMiB: Int }
    struct ProcessorInfo: Decodable { var SupportedArchitectures: [String]? }

    struct NetworkInfo: Decodable {
        var MaximumNetworkInterfaces: Int
        var Ipv4AddressesPerInterface: Int
        var Ipv6AddressesPerInterface: Int?
        var Ipv6Supported: Bool?
        var DefaultNetworkCardIndex: Int?
        var NetworkCards: [NetworkCard]?
    }

    struct NetworkCard: Decodable {
        var NetworkCardIndex: Int
        var MaximumNetworkInterfaces: Int
    }
    // swiftlint:enable identifier_name
}

extension DescribeInstanceTypesOutput.Entry {
    typealias Problem = DescribeInstanceTypesOutput.Problem

    /// The entry as eksnet's instance type, every figure checked against what a real type can have.
    func instanceType(document: Int, pointer: String) throws(Problem) -> InstanceType {
        func refuse(_ field: String, _ reason: String) -> Problem {
            Problem(document: document, pointer: pointer + field, reason: reason)
        }
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws(Problem) {
            guard range.contains(value) else {
                throw refuse(field, "\(value) is impossible for an instance type (expected \(range.lowerBound)–\(range.upperBound))")
            }
        }
        let limits = DescribeInstanceTypesOutput.self
        let nameBytes = Array(InstanceType.utf8)
        let allowed: (UInt8) -> Bool = { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 }
        guard (3...64).contains(nameBytes.count), nameBytes.allSatisfy(allowed),
            nameBytes.filter({ $0 == UInt8(ascii: ".") }).count == 1, nameBytes.first != 46, nameBytes.last != 46
        else {
            throw refuse("/InstanceType", "'\(InstanceType.prefix(64))' is not an instance type name (family.size, such as m5.large)")
        }
        let network = NetworkInfo
        try check(network.Ipv4AddressesPerInterface, 1...limits.maximumAddressesPerENI, "/NetworkInfo/Ipv4AddressesPerInterface")
        try check(network.Ipv6AddressesPerInterface ?? 0, 0...limits.maximumAddressesPerENI, "/NetworkInfo/Ipv6AddressesPerInterface")
        var enisPerCard = [network.MaximumNetworkInterfaces]
        var defaultCard = 0
        if let cards = network.NetworkCards, !cards.isEmpty {
            guard cards.count <= limits.maximumNetworkCards else {
                throw refuse("/NetworkInfo/NetworkCards", "\(cards.count) network cards is impossible (at most \(limits.maximumNetworkCards))")
            }
            let indices = cards.map(\.NetworkCardIndex).sorted()
            guard indices == Array(0..<cards.count) else {
                throw refuse("/NetworkInfo/NetworkCards", "card indices \(indices) must be 0 to \(cards.count - 1), each once")
            }
            for (position, card) in cards.enumerated() {
                try check(card.MaximumNetworkInterfaces, 1...limits.maximumENIsPerCard,
                    "/NetworkInfo/NetworkCards/\(position)/MaximumNetworkInterfaces")
            }
            enisPerCard = cards.sorted { $0.NetworkCardIndex < $1.NetworkCardIndex }.map(\.MaximumNetworkInterfaces)
            defaultCard = network.DefaultNetworkCardIndex ?? 0
            guard enisPerCard.indices.contains(defaultCard) else {
                throw refuse("/NetworkInfo/DefaultNetworkCardIndex", "card \(defaultCard) is not among the \(cards.count) network cards")
            }
        } else {
            try check(network.MaximumNetworkInterfaces, 1...limits.maximumENIsPerCard, "/NetworkInfo/MaximumNetworkInterfaces")
            if let index = network.DefaultNetworkCardIndex, index != 0 {
                throw refuse("/NetworkInfo/DefaultNetworkCardIndex", "card \(index) given, but no NetworkCards are listed")
            }
        }
        if let vcpus = VCpuInfo?.DefaultVCpus { try check(vcpus, 1...limits.maximumVCPUs, "/VCpuInfo/DefaultVCpus") }
        if let memory = MemoryInfo?.SizeInMiB { try check(memory, 1...limits.maximumMemoryMiB, "/MemoryInfo/SizeInMiB") }
        let hypervisor: EKSNetCore.Hypervisor?
        switch Hypervisor {
        case nil: hypervisor = nil
        case "nitro": hypervisor = .nitro
        case "xen": hypervisor = .xen
        case let other?: throw refuse("/Hypervisor", "'\(other.prefix(20))' is not nitro or xen")
        }
        let architectures = ProcessorInfo?.SupportedArchitectures ?? ["x86_64"]
        let preference: [(String, EKSNetCore.Architecture)] = [
            ("x86_64", .x86_64), ("arm64", .arm64), ("x86_64_mac", .x86_64Mac), ("arm64_mac", .arm64Mac), ("i386", .i386),
        ]
        let architecture = preference.first { architectures.contains($0.0) }?.1 ?? .x86_64
        return EKSNetCore.InstanceType(
            name: InstanceTypeName(InstanceType), vcpus: VCpuInfo?.DefaultVCpus, memoryMiB: MemoryInfo?.SizeInMiB,
            hypervisor: hypervisor, bareMetal: BareMetal ?? false, architecture: architecture,
            defaultNetworkCardIndex: defaultCard, maximumNetworkInterfacesPerCard: enisPerCard,
            ipv4AddressesPerInterface: network.Ipv4AddressesPerInterface,
            ipv6AddressesPerInterface: network.Ipv6AddressesPerInterface ?? 0,
            ipv6Supported: network.Ipv6Supported ?? false, limitsSource: .file)
    }
}
