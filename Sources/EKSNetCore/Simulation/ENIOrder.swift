/// ENI indexes to visit: 0..<count, or a shuffle of them (allocated only in random mode).
struct ENIOrder: Sequence {
    let count: Int
    let shuffled: [Int]?

    struct Iterator: IteratorProtocol {
        let order: ENIOrder
        var position = 0

        mutating func next() -> Int? {
            guard position < order.count else { return nil }
            defer { position += 1 }
            return order.shuffled?[position] ?? position
        }
    }

    func makeIterator() -> Iterator { Iterator(order: self) }

    func reversed() -> [Int] {
        (shuffled ?? Array(0..<count)).reversed()
    }
}
