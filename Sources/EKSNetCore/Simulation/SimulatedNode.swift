/// A /28 prefix on an ENI (prefix mode): its first address in the subnet, pods on it, and the expiry times of the
/// addresses in cooldown (ascending).
struct SimulatedPrefix: Sendable {
    var base: Int
    var assigned = 0
    var cooling = CooldownQueue()
}

/// Expiry times of addresses in cooldown, oldest first; removal from the front is O(1).
struct CooldownQueue: Sendable {
    private var times: [Int] = []
    private var head = 0

    var count: Int { times.count - head }
    var isEmpty: Bool { head == times.count }

    mutating func append(_ time: Int) {
        times.append(time)
    }

    /// Drops expired entries; returns how many.
    mutating func expire(now: Int) -> Int {
        let start = head
        while head < times.count && times[head] <= now { head += 1 }
        if head > 32 && head * 2 > times.count {
            times.removeFirst(head)
            head = 0
        }
        return 0 &+ (head >= start ? head - start : 0)
    }

    /// Forgets the newest `n` entries (their addresses were released).
    mutating func dropNewest(_ n: Int) {
        let keep = max(head, times.count - n)
        times.removeLast(times.count - keep)
    }
}

/// One ENI on a simulated node.
struct SimulatedENI: Sendable {
    var subnet: Int
    /// Offset of the ENI's primary address in its subnet.
    var primary: Int
    var createdAt: Int
    var isPrimaryENI: Bool
    /// Secondary-IP mode: offsets of the secondaries held.
    var ips: [Int] = []
    /// Secondary-IP mode: pods bound.
    var assigned = 0
    var cooling = CooldownQueue()
    /// Prefix mode: the prefixes held.
    var prefixes: [SimulatedPrefix] = []
}

/// One simulated node: its ENIs and ipamd's counters and timers.
struct SimulatedNode: Sendable {
    var group: Int
    var subnet: Int
    var zone: String
    var launchedAt: Int
    var alive = true
    var enis: [SimulatedENI] = []
    /// Pod-usable addresses held (ipamd's Total).
    var total = 0
    /// Pods bound to addresses (ipamd's Assigned).
    var assigned = 0
    /// Prefixes with no pod (cooling ones count as free).
    var freePrefixes = 0
    var totalPrefixes = 0
    /// Pods placed on the node, with an address or waiting for one.
    var scheduled = 0
    /// Of those, waiting for an address.
    var pending = 0
    /// Pods per workload on this node.
    var podsByWorkload: [Int]
    var lastDecrease = Int.min / 2
    var lastInsufficient = Int.min / 2
    /// CreateNetworkInterface calls refused for lack of addresses (for the back-off's property test).
    var refusedCreates = 0
    /// The last increase failed for lack of addresses in the subnet.
    var subnetExhausted = false
    /// An ENI being attached: ready time, subnet, primary and what it carries.
    var attaching: (readyAt: Int, eni: SimulatedENI)?
    /// Reconciles before this time would change nothing unless a pod arrived or left (`quietUntil`).
    var quietUntil = Int.min
    /// What the node's last reconcile did, for the property tests.
    var reconcile = Reconcile(at: -1)

    struct Reconcile: Sendable {
        var at: Int
        /// Increases and decreases started: ipamd starts at most one per reconcile.
        var poolActions = 0
        /// An AssignPrivateIpAddresses was refused for lack of addresses.
        var assignmentRefused = false
    }

    var available: Int { total - assigned }

    /// A secondary ENI none of whose prefixes has a pod (prefix mode's reason to look for an ENI to free).
    var hasPodFreeSecondaryENI: Bool {
        enis.contains { !$0.isPrimaryENI && $0.prefixes.allSatisfy { $0.assigned == 0 } }
    }

    /// The counts ipamd's decisions read.
    var stats: IPAMDPolicy.Stats {
        IPAMDPolicy.Stats(total: total, assigned: assigned, totalPrefixes: totalPrefixes, freePrefixes: freePrefixes)
    }

    /// Swapped into the node array while a node is worked on, so its arrays stay uniquely referenced.
    static let placeholder = SimulatedNode(group: 0, subnet: 0, zone: "", launchedAt: 0, alive: false, podsByWorkload: [])
}
