/// ENI indexes to visit: 0..<count, or a shuffle of them (allocated only in random mode).
struct ENIOrder: Sequence {
    let count: Int
    let shuffled: [Int]?
    /// Last to first: how the pool shrinks (newest ENI first under first-fit).
    var descending = false

    struct Iterator: IteratorProtocol {
        let order: ENIOrder
        var position = 0

        mutating func next() -> Int? {
            guard position < order.count else { return nil }
            defer { position += 1 }
            let step = order.descending ? order.count - 1 - position : position
            return order.shuffled?[step] ?? step
        }
    }

    func makeIterator() -> Iterator { Iterator(order: self) }

    /// The same order backwards, without building an array: it is walked for every node on every reconcile.
    func reversed() -> ENIOrder {
        ENIOrder(count: count, shuffled: shuffled, descending: !descending)
    }
}
