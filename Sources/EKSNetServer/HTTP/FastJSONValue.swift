import EKSNetCore

/// A minimal JSON reader for the hot capacity route. It accepts only the plain cases (no string escapes, integer
/// numbers) and gives up with nil on anything else, so the caller falls back to Foundation's JSONDecoder, whose
/// answers — and error messages — stay the reference.
enum FastJSONValue {
    case object([(String, FastJSONValue)])
    case array([FastJSONValue])
    case string(String)
    case integer(Int)
    case bool(Bool)
    case null

    static func parse(_ bytes: UnsafeRawBufferPointer) -> FastJSONValue? {
        var reader = Reader(bytes: bytes)
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhitespace()
        return reader.offset == bytes.count ? value : nil
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func skipWhitespace() {
            while offset < bytes.count, bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x0D || bytes[offset] == 0x09 {
                offset += 1
            }
        }

        mutating func value(depth: Int) -> FastJSONValue? {
            guard depth < 32 else { return nil }
            skipWhitespace()
            guard offset < bytes.count else { return nil }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var members: [(String, FastJSONValue)] = []
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                    offset += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard let key = string() else { return nil }
                    skipWhitespace()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return nil }
                    offset += 1
                    guard let member = value(depth: depth + 1) else { return nil }
                    members.append((key, member))
                    skipWhitespace()
                    guard offset < bytes.count else { return nil }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    guard bytes[offset] == UInt8(ascii: "}") else { return nil }
                    offset += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                offset += 1
                var elements: [FastJSONValue] = []
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                    offset += 1
                    return .array(elements)
                }
                while true {
                    guard let element = value(depth: depth + 1) else { return nil }
                    elements.append(element)
                    skipWhitespace()
                    guard offset < bytes.count else { return nil }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    guard bytes[offset] == UInt8(ascii: "]") else { return nil }
                    offset += 1
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                return integer()
            }
        }

        mutating func literal(_ word: StaticString, _ value: FastJSONValue) -> FastJSONValue? {
            let count = word.utf8CodeUnitCount
            guard offset + count <= bytes.count else { return nil }
            for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return nil }
            offset += count
            return value
        }

        /// A string without escapes or control characters; nil otherwise.
        mutating func string() -> String? {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
            let start = offset + 1
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    offset = index + 1
                    return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        /// An integer of at most 18 digits (no fraction, no exponent); nil otherwise.
        mutating func integer() -> FastJSONValue? {
            var index = offset
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
            var value = 0
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                // 18 digits always fit in an Int; longer numbers go to Foundation, checked before any arithmetic.
                guard digits < 18 else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
            offset = index
            return .integer(negative ? -value : value)
        }
    }
}

/// CapacityRequest from the fast reader: the same fields Codable reads, null for an absent optional; nil on any
/// surprise (the caller then decodes with Foundation).
extension CapacityRequest {
    init?(fast value: FastJSONValue) {
        guard case .object(let members) = value else { return nil }
        var groups: [NodeGroupInput]?
        var cni: CNISettingsInput?
        var coreDns: Int?
        for (key, member) in members {
            switch key {
            case "nodeGroups":
                guard case .array(let items) = member else { return nil }
                var parsed: [NodeGroupInput] = []
                for item in items {
                    guard let group = NodeGroupInput(fast: item) else { return nil }
                    parsed.append(group)
                }
                groups = parsed
            case "cni":
                if case .null = member { cni = nil; continue }
                guard let settings = CNISettingsInput(fast: member) else { return nil }
                cni = settings
            case "coreDnsReplicas":
                guard let number = member.optionalInteger else { return nil }
                coreDns = number.value
            default: continue
            }
        }
        guard let groups else { return nil }
        self.init(nodeGroups: groups, cni: cni, coreDnsReplicas: coreDns)
    }
}

extension NodeGroupInput {
    init?(fast value: FastJSONValue) {
        guard case .object(let members) = value else { return nil }
        var name: String?
        var types: [String]?
        var minSize: Int?
        var maxSize: Int?
        var desired: Int?
        var maxPods: Int?
        var daemonSets: Int?
        var cni: CNISettingsInput?
        var subnets: [String]?
        for (key, member) in members {
            switch key {
            case "name":
                guard case .string(let text) = member else { return nil }
                name = text
            case "instanceTypes":
                guard let list = member.strings else { return nil }
                types = list
            case "subnetIds":
                if case .null = member { subnets = nil; continue }
                guard let list = member.strings else { return nil }
                subnets = list
            case "minSize":
                guard case .integer(let number) = member else { return nil }
                minSize = number
            case "maxSize":
                guard case .integer(let number) = member else { return nil }
                maxSize = number
            case "desiredSize":
                guard let number = member.optionalInteger else { return nil }
                desired = number.value
            case "maxPods":
                guard let number = member.optionalInteger else { return nil }
                maxPods = number.value
            case "extraDaemonSetPods":
                guard let number = member.optionalInteger else { return nil }
                daemonSets = number.value
            case "cni":
                if case .null = member { cni = nil; continue }
                guard let settings = CNISettingsInput(fast: member) else { return nil }
                cni = settings
            default: continue
            }
        }
        guard let name, let types, let minSize, let maxSize else { return nil }
        self.init(
            name: name, instanceTypes: types, minSize: minSize, desiredSize: desired, maxSize: maxSize, maxPods: maxPods,
            extraDaemonSetPods: daemonSets, cni: cni, subnetIds: subnets)
    }
}

extension CNISettingsInput {
    init?(fast value: FastJSONValue) {
        guard case .object(let members) = value else { return nil }
        self.init()
        for (key, member) in members {
            switch key {
            case "version":
                switch member {
                case .null: version = nil
                case .string(let text): version = text
                default: return nil
                }
            case "prefixDelegation", "securityGroupsForPods":
                let flag: Bool?
                switch member {
                case .null: flag = nil
                case .bool(let value): flag = value
                default: return nil
                }
                if key == "prefixDelegation" { prefixDelegation = flag } else { securityGroupsForPods = flag }
            case "customNetworking":
                switch member {
                case .null: customNetworking = nil
                case .bool(let value): customNetworking = .init(enabled: value)
                default: return nil  // the object form goes through Foundation
                }
            case "maxEni", "warmEniTarget", "warmIpTarget", "minimumIpTarget", "warmPrefixTarget", "ipCooldownPeriod":
                guard let number = member.optionalInteger else { return nil }
                switch key {
                case "maxEni": maxEni = number.value
                case "warmEniTarget": warmEniTarget = number.value
                case "warmIpTarget": warmIpTarget = number.value
                case "minimumIpTarget": minimumIpTarget = number.value
                case "warmPrefixTarget": warmPrefixTarget = number.value
                default: ipCooldownPeriod = number.value
                }
            default: continue
            }
        }
    }
}

extension FastJSONValue {
    /// An integer or null (wrapped so that "null" and "not an integer" differ).
    var optionalInteger: (value: Int?, Void)? {
        switch self {
        case .null: return (nil, ())
        case .integer(let value): return (value, ())
        default: return nil
        }
    }

    var strings: [String]? {
        guard case .array(let items) = self else { return nil }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { return nil }
            result.append(text)
        }
        return result
    }
}
