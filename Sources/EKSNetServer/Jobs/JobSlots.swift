/// A limit on how many jobs of a lane run at once; the rest wait their turn as `queued`. Callers take turns: a
/// slot that frees goes to the waiting caller served least recently, and each caller's own jobs go first in, first
/// out — so one caller's long queue holds another caller's job back by at most one job per caller ahead of it.
actor JobSlots {
    let limit: Int
    private var inUse = 0
    /// Each caller's waiting jobs, oldest first.
    private var waiting: [String: [(ticket: Int, continuation: CheckedContinuation<Bool, Never>)]] = [:]
    /// When each caller was last given a slot (a counter, not a clock); a caller never served has none.
    private var lastServed: [String: Int] = [:]
    private var served = 0
    private var nextTicket = 0
    private var waitingCount = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Jobs waiting for a slot.
    var queued: Int { waitingCount }

    /// Takes a slot for one of `owner`'s jobs, waiting for its turn if needed; false when the task is cancelled
    /// before it gets one.
    func acquire(owner: String = "") async -> Bool {
        if Task.isCancelled { return false }
        if inUse < limit && waitingCount == 0 {
            inUse += 1
            noteServed(owner)
            return true
        }
        nextTicket += 1
        let ticket = nextTicket
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting[owner, default: []].append((ticket, continuation))
                waitingCount += 1
            }
        } onCancel: {
            Task { await self.abandon(ticket, owner: owner) }
        }
    }

    /// Gives a slot back: the waiting caller served least recently takes it for its longest-waiting job.
    func release() {
        // The caller whose turn it is: never served first, then the one served longest ago (ties: any).
        guard let owner = waiting.keys.min(by: { (lastServed[$0] ?? -1) < (lastServed[$1] ?? -1) }) else {
            inUse = max(0, inUse - 1)
            return
        }
        var queue = waiting[owner] ?? []
        let next = queue.removeFirst()
        waitingCount -= 1
        waiting[owner] = queue.isEmpty ? nil : queue
        noteServed(owner)
        next.continuation.resume(returning: true)
    }

    private func noteServed(_ owner: String) {
        served += 1
        lastServed[owner] = served
        // Forget callers with nothing waiting once many have come and gone: they come back as never served.
        if lastServed.count > 4096 { lastServed = lastServed.filter { waiting[$0.key] != nil || $0.key == owner } }
    }

    private func abandon(_ ticket: Int, owner: String) {
        guard var queue = waiting[owner], let index = queue.firstIndex(where: { $0.ticket == ticket }) else { return }
        let gone = queue.remove(at: index)
        waitingCount -= 1
        waiting[owner] = queue.isEmpty ? nil : queue
        gone.continuation.resume(returning: false)
    }
}
