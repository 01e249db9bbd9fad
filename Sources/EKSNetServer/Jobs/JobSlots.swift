/// A first-in, first-out limit on how many jobs of a lane run at once; the rest wait their turn as `queued`.
actor JobSlots {
    let limit: Int
    private var inUse = 0
    private var waiting: [(ticket: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextTicket = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Jobs waiting for a slot.
    var queued: Int { waiting.count }

    /// Takes a slot, waiting for one if needed; false when the task is cancelled before it gets one.
    func acquire() async -> Bool {
        if Task.isCancelled { return false }
        if inUse < limit {
            inUse += 1
            return true
        }
        nextTicket += 1
        let ticket = nextTicket
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting.append((ticket, continuation))
            }
        } onCancel: {
            Task { await self.abandon(ticket) }
        }
    }

    /// Gives a slot back: the longest-waiting job takes it.
    func release() {
        if waiting.isEmpty {
            inUse = max(0, inUse - 1)
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
        }
    }

    private func abandon(_ ticket: Int) {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }
}
