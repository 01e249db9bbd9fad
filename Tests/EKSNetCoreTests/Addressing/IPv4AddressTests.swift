import Testing

@testable import EKSNetCore

@Suite struct IPv4AddressTests {
    @Test(arguments: [
        ("0.0.0.0", UInt32(0)), ("10.0.0.1", 0x0A00_0001), ("192.168.1.255", 0xC0A8_01FF),
        ("255.255.255.255", 0xFFFF_FFFF), ("100.64.0.0", 0x6440_0000),
    ])
    func parsesDottedQuad(text: String, value: UInt32) throws {
        let address = try IPv4Address(parsing: text)
        #expect(address.value == value)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("10.0.0", AddressingError.malformedAddress("10.0.0")),
        ("10.0.0.0.1", .malformedAddress("10.0.0.0.1")),
        (" 10.0.0.1", .malformedAddress(" 10.0.0.1")),
        ("10.0.0.1 ", .malformedAddress("10.0.0.1 ")),
        ("10..0.1", .malformedAddress("10..0.1")),
        ("", .malformedAddress("")),
        ("256.0.0.1", .octetOutOfRange("256.0.0.1")),
        ("10.0.0.1000", .octetOutOfRange("10.0.0.1000")),
        ("010.0.0.1", .leadingZero("010.0.0.1")),
        ("10.00.0.1", .leadingZero("10.00.0.1")),
        ("10.0.0.-1", .malformedAddress("10.0.0.-1")),
        ("１0.0.0.1", .malformedAddress("１0.0.0.1")),
    ])
    func rejectsNonCanonicalText(text: String, error: AddressingError) {
        #expect(throws: error) { try IPv4Address(parsing: text) }
    }

    @Test func ordersByValue() throws {
        #expect(try IPv4Address(parsing: "10.0.0.2") < IPv4Address(parsing: "10.0.1.0"))
    }

    @Test(arguments: [
        ("10.1.2.3", AddressSpace.rfc1918Private), ("172.31.255.255", .rfc1918Private), ("172.32.0.0", .publicRoutable),
        ("100.64.0.1", .carrierGradeNAT), ("100.128.0.0", .publicRoutable), ("198.19.0.5", .benchmarking),
        ("127.0.0.1", .loopback), ("169.254.169.254", .linkLocal), ("255.255.255.255", .reserved),
        ("8.8.8.8", .publicRoutable), ("0.0.0.0", .thisNetwork), ("224.0.0.1", .multicast),
    ])
    func classifies(text: String, space: AddressSpace) throws {
        #expect(try IPv4Address(parsing: text).addressSpace == space)
    }
}
