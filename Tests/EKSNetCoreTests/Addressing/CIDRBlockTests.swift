import Testing

@testable import EKSNetCore

@Suite struct CIDRBlockTests {
    func block(_ text: String) throws -> CIDRBlock { try CIDRBlock(parsing: text) }

    @Test func rejectsHostBitsAndNamesTheCanonicalBlock() {
        #expect(throws: AddressingError.hostBitsSet("10.0.0.1/16", canonical: "10.0.0.0/16")) {
            try CIDRBlock(parsing: "10.0.0.1/16")
        }
        #expect(throws: AddressingError.hostBitsSet("192.168.1.0/16", canonical: "192.168.0.0/16")) {
            try CIDRBlock(parsing: "192.168.1.0/16")
        }
    }

    @Test(arguments: [
        "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/016", "10.0.0.0/ 16", "10.0.0.0/16 ",
        "10.0.0.0/1a", "10.0.0.0/16/16", "/16", "10.0.0.00/16", "300.0.0.0/8", "",
    ])
    func rejectsMalformedBlocks(text: String) {
        #expect(throws: AddressingError.self) { try CIDRBlock(parsing: text) }
    }

    @Test func edgesOfTheAddressSpace() throws {
        let everything = try block("0.0.0.0/0")
        #expect(everything.addressCount == 4_294_967_296)
        #expect(everything.lastAddress.description == "255.255.255.255")
        #expect(everything.contains(try IPv4Address(parsing: "255.255.255.255")))
        #expect(everything.addressSpace == .mixed)
        let host = try block("255.255.255.255/32")
        #expect(host.addressCount == 1)
        #expect(host.firstAddress == host.lastAddress)
        #expect(everything.contains(host))
        #expect(!host.contains(everything))
        #expect(host.awsUsableAddressCount == 0)
        #expect(try block("0.0.0.0/32").lastAddress.value == 0)
    }

    @Test func containsAndOverlaps() throws {
        let vpc = try block("10.0.0.0/16")
        #expect(vpc.contains(try block("10.0.32.0/19")))
        #expect(!vpc.contains(try block("10.1.0.0/19")))
        #expect(!vpc.contains(try block("10.0.0.0/15")))
        #expect(vpc.overlaps(try block("10.0.0.0/8")))
        #expect(try block("10.0.0.0/8").overlaps(vpc))
        #expect(!vpc.overlaps(try block("10.1.0.0/16")))
        #expect(try block("172.17.0.0/16").overlaps(try block("172.16.0.0/12")))
    }

    @Test func splitsIntoAlignedSubBlocks() throws {
        let parts = try block("192.168.0.0/16").split(into: 19)
        #expect(parts.count == 8)
        #expect(parts.map(\.description) == [
            "192.168.0.0/19", "192.168.32.0/19", "192.168.64.0/19", "192.168.96.0/19",
            "192.168.128.0/19", "192.168.160.0/19", "192.168.192.0/19", "192.168.224.0/19",
        ])
        #expect(try block("10.0.0.0/16").split(into: 16).map(\.description) == ["10.0.0.0/16"])
        #expect(try block("0.0.0.0/0").split(into: 32).count == 4_294_967_296)
        #expect(try block("0.0.0.0/0").split(into: 32).last?.description == "255.255.255.255/32")
        #expect(throws: AddressingError.self) { try block("10.0.0.0/16").split(into: 15) }
        #expect(throws: AddressingError.self) { try block("10.0.0.0/16").split(into: 33) }
    }

    @Test(arguments: [("10.0.0.0/28", 11), ("10.0.0.0/24", 251), ("10.0.0.0/19", 8187), ("10.0.0.0/16", 65531)])
    func usableAddressesInAnAWSSubnet(text: String, usable: Int) throws {
        #expect(try block(text).awsUsableAddressCount == usable)
    }

    @Test func reservedAddressesAndPrefixBlocks() throws {
        let subnet = try block("10.0.1.0/24")
        #expect(subnet.awsReservedAddresses.map(\.description) == [
            "10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255",
        ])
        #expect(subnet.aligned28BlockCount == 16)
        #expect(subnet.awsPrefixAssignable28BlockCount == 14)
        #expect(try block("10.0.0.0/28").awsPrefixAssignable28BlockCount == 0)
        #expect(try block("10.0.0.0/29").aligned28BlockCount == 0)
    }

    @Test(arguments: [
        ("10.0.0.0/16", AddressSpace.rfc1918Private), ("100.64.0.0/16", .carrierGradeNAT),
        ("198.19.0.0/16", .benchmarking), ("172.0.0.0/8", .mixed), ("52.0.0.0/8", .publicRoutable),
        ("100.0.0.0/9", .mixed),
    ])
    func classifiesBlocks(text: String, space: AddressSpace) throws {
        #expect(try block(text).addressSpace == space)
    }

    @Test func codableAsAString() throws {
        let encoded = try JSONEncoder().encode([try block("10.0.0.0/16")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["10.0.0.0\/16"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CIDRBlock].self, from: Data(#"["10.0.0.1/16"]"#.utf8)) }
    }
}

import Foundation
