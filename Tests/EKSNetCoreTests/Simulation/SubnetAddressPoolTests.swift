import Testing

@testable import EKSNetCore

@Suite struct SubnetAddressPoolTests {
    @Test func reservesAWSAddressesAndCountsBlocks() throws {
        var random = SplitMix64(seed: 1)
        var pool = SubnetAddressPool(block: try CIDRBlock(parsing: "10.0.1.0/24"), random: &random)
        #expect(pool.freeAddresses == 251)
        // The first block holds .0–.3 and the last holds .255: 14 of 16 blocks are free.
        #expect(pool.freeAligned28Blocks == 14)
        let firstOffset = pool.allocateAddress(order: .firstFit, random: &random)
        let first = try #require(firstOffset)
        #expect(pool.address(at: first).description == "10.0.1.4")
        let prefixOffset = pool.allocatePrefix()
        let prefix = try #require(prefixOffset)
        #expect(pool.address(at: prefix).description == "10.0.1.16")
        #expect(pool.freeAddresses == 251 - 1 - 16)
        #expect(pool.freeAligned28Blocks == 13)
        pool.release(prefix: prefix)
        pool.release(address: first)
        #expect(pool.freeAddresses == 251)
        #expect(pool.freeAligned28Blocks == 14)
    }

    @Test func oneAddressBreaksABlock() throws {
        var random = SplitMix64(seed: 1)
        var pool = SubnetAddressPool(block: try CIDRBlock(parsing: "10.0.0.0/28"), random: &random)
        #expect(pool.freeAddresses == 11)
        #expect(pool.freeAligned28Blocks == 0)
        let noPrefix = pool.allocatePrefix()
        #expect(noPrefix == nil)
        for _ in 0..<11 {
            let offset = pool.allocateAddress(order: .random, random: &random)
            #expect(offset != nil)
        }
        let none = pool.allocateAddress(order: .random, random: &random)
        #expect(none == nil)
    }

    @Test func randomPlacementFragmentsFirstFitPacks() throws {
        var random = SplitMix64(seed: 9)
        let block = try CIDRBlock(parsing: "10.0.0.0/20")
        let packed = SubnetAddressPool(block: block, inUse: 1000, order: .firstFit, random: &random)
        let scattered = SubnetAddressPool(block: block, inUse: 1000, order: .random, random: &random)
        #expect(packed.freeAddresses == scattered.freeAddresses)
        #expect(packed.freeAligned28Blocks > scattered.freeAligned28Blocks + 100)
    }

    @Test func reservationsHoldBlocksForPrefixes() throws {
        var random = SplitMix64(seed: 2)
        var pool = SubnetAddressPool(
            block: try CIDRBlock(parsing: "10.0.0.0/24"), inUse: 200, prefixReservation: try CIDRBlock(parsing: "10.0.0.192/27"),
            order: .random, random: &random)
        let prefixOffset = pool.allocatePrefix()
        let prefix = try #require(prefixOffset)
        #expect(pool.address(at: prefix).description == "10.0.0.192")
    }
}
