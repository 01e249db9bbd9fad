/// A subnet's address space as a bitmap (1 = taken), with AWS's 5 reserved addresses taken from the start, a
/// count of free addresses and of wholly free aligned /28 blocks kept as bits change. /32s are placed first-fit or
/// at random; /28 prefixes only on free aligned blocks, inside a prefix CIDR reservation first.
public struct SubnetAddressPool: Sendable {
    public let block: CIDRBlock
    private var words: [UInt64]
    public private(set) var freeAddresses: Int
    public private(set) var freeAligned28Blocks: Int
    /// Aligned /28 block indexes of a prefix-type CIDR reservation (tried first for prefixes).
    private let reservedBlocks: Range<Int>
    private var wordHint = 0

    /// Address offsets inside the block.
    public var size: Int { Int(block.addressCount) }

    /// A fresh subnet with `inUse` addresses already taken by others (placed per `order`).
    public init(
        block: CIDRBlock, inUse: Int = 0, prefixReservation: CIDRBlock? = nil, order: FillOrder = .firstFit,
        random: inout SplitMix64
    ) {
        precondition(block.prefixLength >= 16 && block.prefixLength <= 28, "simulated subnets are /16 to /28")
        self.block = block
        let count = Int(block.addressCount)
        words = [UInt64](repeating: 0, count: max(1, count / 64))
        if count < 64 { words[0] = ~((UInt64(1) << UInt64(count)) - 1) }
        freeAddresses = count
        freeAligned28Blocks = count / 16
        if let reservation = prefixReservation, block.contains(reservation), reservation.prefixLength <= 28 {
            let first = Int(reservation.network.value - block.network.value) / 16
            reservedBlocks = first..<(first + Int(reservation.addressCount) / 16)
        } else {
            reservedBlocks = 0..<0
        }
        for offset in [0, 1, 2, 3, count - 1] { take(offset) }
        var remaining = min(max(0, inUse), freeAddresses)
        while remaining > 0, let offset = findAddress(order: order, random: &random, avoidReservation: true) {
            take(offset)
            remaining -= 1
        }
    }

    /// The address at an offset.
    public func address(at offset: Int) -> IPv4Address {
        IPv4Address(block.network.value &+ UInt32(offset))
    }

    @inline(__always) private func isTaken(_ offset: Int) -> Bool {
        words[offset >> 6] & (1 << UInt64(offset & 63)) != 0
    }

    @inline(__always) private func chunk(_ block: Int) -> UInt64 {
        (words[block >> 2] >> UInt64((block & 3) * 16)) & 0xFFFF
    }

    private mutating func take(_ offset: Int) {
        let blockIndex = offset >> 4
        if chunk(blockIndex) == 0 { freeAligned28Blocks -= 1 }
        words[offset >> 6] |= 1 << UInt64(offset & 63)
        freeAddresses -= 1
    }

    private mutating func give(_ offset: Int) {
        words[offset >> 6] &= ~(1 << UInt64(offset & 63))
        freeAddresses += 1
        if chunk(offset >> 4) == 0 { freeAligned28Blocks += 1 }
        wordHint = min(wordHint, offset >> 6)
    }

    private mutating func findAddress(order: FillOrder, random: inout SplitMix64, avoidReservation: Bool) -> Int? {
        guard freeAddresses > 0 else { return nil }
        // Random: start at a random address and take the next free one; first-fit: start at the lowest free word.
        let startOffset = order == .random ? Int(random.next() % UInt64(size)) : wordHint * 64
        let startWord = startOffset >> 6
        var word = startWord
        for step in 0...words.count {
            var candidates = ~words[word]
            if step == 0 { candidates &= UInt64.max << UInt64(startOffset & 63) }
            if step == words.count { candidates &= ~(UInt64.max << UInt64(startOffset & 63)) }
            if avoidReservation && !reservedBlocks.isEmpty && candidates != 0 {
                for block in (word * 4)..<(word * 4 + 4) where reservedBlocks.contains(block) {
                    candidates &= ~(UInt64(0xFFFF) << UInt64((block & 3) * 16))
                }
            }
            if candidates != 0 { return word * 64 + candidates.trailingZeroBitCount }
            if order == .firstFit && word == wordHint && ~words[word] == 0 {
                wordHint = min(word + 1, words.count - 1)
            }
            word = word + 1 == words.count ? 0 : word + 1
        }
        // Only reserved space is left: EC2 keeps prefix reservations for prefixes.
        return nil
    }

    /// Takes one /32 (EC2's secondary IP or an ENI's primary); nil when none is free.
    public mutating func allocateAddress(order: FillOrder, random: inout SplitMix64) -> Int? {
        guard let offset = findAddress(order: order, random: &random, avoidReservation: true) else { return nil }
        take(offset)
        return offset
    }

    /// Takes a wholly free aligned /28 (reservation first); the offset of its first address, or nil.
    public mutating func allocatePrefix() -> Int? {
        guard freeAligned28Blocks > 0 else { return nil }
        for block in reservedBlocks where chunk(block) == 0 {
            return claimBlock(block)
        }
        let blocks = size / 16
        for block in 0..<blocks where chunk(block) == 0 && !reservedBlocks.contains(block) {
            return claimBlock(block)
        }
        return nil
    }

    private mutating func claimBlock(_ block: Int) -> Int {
        freeAligned28Blocks -= 1
        words[block >> 2] |= UInt64(0xFFFF) << UInt64((block & 3) * 16)
        freeAddresses -= 16
        return block * 16
    }

    /// Returns a /32.
    public mutating func release(address offset: Int) {
        if isTaken(offset) { give(offset) }
    }

    /// Returns a /28 prefix.
    public mutating func release(prefix offset: Int) {
        words[offset >> 6] &= ~(UInt64(0xFFFF) << UInt64(offset & 63))
        freeAddresses += 16
        freeAligned28Blocks += 1
        wordHint = min(wordHint, offset >> 6)
    }
}

/// The order in which free addresses are handed out.
public enum FillOrder: String, Codable, Sendable, CaseIterable {
    /// Lowest first: reproduces the VPC CNI docs' tables.
    case firstFit = "first-fit"
    /// Anywhere: like EC2's placement and the VPC CNI's Go map order.
    case random
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same simulation.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
