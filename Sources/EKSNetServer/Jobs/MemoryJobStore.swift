import EKSNetCore
import Foundation

/// The in-memory job store: an actor, bounded by count, by bytes and per caller, and by the age of finished jobs.
///
/// When full it refuses new work with a retry time rather than evicting anything: a job a client is still
/// polling never disappears early, and the client learns at once that it must come back later (HTTP 503 with
/// `Retry-After`, the time until a finished job expires or, when the room is held by unfinished work, until the
/// queue is expected to free some). Finished jobs expire `retention` after they finish — `deliveredRetention` after
/// a `Prefer: wait` answer handed the result over — and unfinished ones never expire (this process's runner ends
/// every job it holds within its time budget).
///
/// Each caller is charged for what it holds: its inputs and results, and the room kept for the results of its
/// unfinished jobs; it may hold `callerShare` of the store and `unfinishedPerCaller` jobs queued or running.
///
/// Every operation by id is a dictionary lookup; listing walks the owner's own jobs of one kind from the cursor, in
/// submission order, so neither grows with the jobs of others; expiry pops queues ordered by expiry time.
public actor MemoryJobStore: JobStore {
    public struct Limits: Sendable, Equatable {
        /// Most jobs held at once (finished ones included until they expire).
        public var capacity: Int
        /// Most bytes held: encoded inputs and results, plus `reservedResultBytes` for each unfinished job.
        public var maxBytes: Int
        /// The fraction of `capacity` and of `maxBytes` one caller may hold.
        public var callerShare: Double
        /// Kept for each unfinished simulation's result until it arrives (a large simulation result, compressed);
        /// plans and audits, whose results are small, keep a sixteenth of it. Charged to the job's caller.
        public var reservedResultBytes: Int
        /// Most jobs one caller may have queued or running at once (nil: only the caller's share bounds them).
        public var unfinishedPerCaller: Int?
        /// Threads of each lane (simulations; plans and audits), and the run time assumed before any job has been
        /// measured, seconds: what the `Retry-After` of a store held by unfinished work is computed from.
        public var simulationWorkers: Int
        public var evaluationWorkers: Int
        public var assumedRunSeconds: Double

        public init(
            capacity: Int = ServerSettings.maxJobs.default, maxBytes: Int = ServerSettings.maxJobStoreBytes.default.bytes,
            callerShare: Double = ServerSettings.jobCallerShare.default, reservedResultBytes: Int = 1 << 20,
            unfinishedPerCaller: Int? = nil, simulationWorkers: Int = 1, evaluationWorkers: Int = 1, assumedRunSeconds: Double = 5
        ) {
            self.capacity = max(1, capacity)
            self.maxBytes = max(1, maxBytes)
            self.callerShare = min(1, max(0.0001, callerShare))
            self.reservedResultBytes = max(0, reservedResultBytes)
            self.unfinishedPerCaller = unfinishedPerCaller.map { max(1, $0) }
            self.simulationWorkers = max(1, simulationWorkers)
            self.evaluationWorkers = max(1, evaluationWorkers)
            self.assumedRunSeconds = min(3600, max(0.001, assumedRunSeconds))
        }

        var jobsPerCaller: Int { max(1, Int((Double(capacity) * callerShare).rounded(.down))) }
        func workers(simulating: Bool) -> Int { simulating ? simulationWorkers : evaluationWorkers }

        func reserved(for kind: JobKind) -> Int { kind.isSimulating ? reservedResultBytes : reservedResultBytes / 16 }
        var bytesPerCaller: Int { max(1, Int((Double(maxBytes) * callerShare).rounded(.down))) }
    }

    public let limits: Limits
    public let retention: Duration
    public let deliveredRetention: Duration
    public var capacity: Int { limits.capacity }

    private var jobs: [String: Job] = [:]
    /// Each owner's jobs of each kind as (sequence, id), in submission order.
    private var byScope: [Scope: [(sequence: Int64, id: String)]] = [:]
    private var usage: [String: Usage] = [:]
    private var bytesHeld = 0
    /// Bytes kept for the results of unfinished jobs.
    private var reservedBytes = 0
    /// Idempotency keys by owner, kind and key: one caller's key never names another caller's job.
    private var idempotencyKeys: [IdempotencyScope: (fingerprint: String, jobId: String)] = [:]
    private var keyOfJob: [String: IdempotencyScope] = [:]
    /// Expiry times in the order they fall (one queue per retention, so each is sorted).
    private var expiring = ExpiryQueue()
    private var expiringDelivered = ExpiryQueue()
    private var waiters: [String: [Int: CheckedContinuation<Job?, Never>]] = [:]
    private var nextWaiter = 0
    private var nextSequence: Int64 = 0
    /// Each lane's mean measured run time, seconds (a moving average), once a job of it has run.
    private var meanRunSeconds: [Bool: Double] = [:]
    /// Reads of one job by id (lookups, waits' looks): what tells a notified wait from a polling one.
    public private(set) var readsById = 0
    private let now: @Sendable () -> Date

    struct Scope: Hashable {
        let owner: String
        let kind: JobKind
    }

    struct IdempotencyScope: Hashable {
        let owner: String
        let kind: JobKind
        let key: String
    }

    struct Usage {
        var jobs = 0
        /// Inputs and results held, and the room kept for the results of unfinished jobs.
        var bytes = 0
        /// Jobs queued or running, per lane (simulating or not).
        var unfinished: [Bool: Int] = [:]
        var unfinishedTotal: Int { unfinished.values.reduce(0, +) }
    }

    /// Job ids by expiry time, oldest first; entries of jobs deleted or re-timed meanwhile are skipped.
    struct ExpiryQueue {
        private var entries: [(at: Date, id: String)] = []
        private var head = 0

        mutating func append(_ at: Date, _ id: String) { entries.append((at, id)) }

        var first: (at: Date, id: String)? { head < entries.count ? entries[head] : nil }

        mutating func removeFirst() {
            head += 1
            if head > 1024 && head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    /// - Parameters:
    ///   - limits: the bounds by count, bytes and caller.
    ///   - retention: how long a finished job stays.
    ///   - deliveredRetention: how long it stays once a `Prefer: wait` answer delivered it (at most `retention`).
    ///   - now: the clock (tests move it).
    public init(
        limits: Limits = Limits(), retention: Duration = .seconds(3600), deliveredRetention: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.limits = limits
        self.retention = retention
        self.deliveredRetention = min(deliveredRetention, retention)
        self.now = now
    }

    /// A store bounded by count alone (and the default byte bound).
    public init(capacity: Int, retention: Duration = .seconds(3600), now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(limits: Limits(capacity: capacity, callerShare: 1), retention: retention, now: now)
    }

    public init() {
        self.init(limits: Limits())
    }

    public func insert(
        kind: JobKind, owner: String, input: EncodedJSON, unknownFields: [UnknownField], idempotencyKey: String?,
        fingerprint: String
    ) throws(JobStoreError) -> (job: Job, created: Bool) {
        purgeExpired()
        let scope = idempotencyKey.map { IdempotencyScope(owner: owner, kind: kind, key: $0) }
        if let scope, let known = idempotencyKeys[scope], let existing = jobs[known.jobId] {
            guard known.fingerprint == fingerprint else { throw .idempotencyConflict(existingJobId: known.jobId) }
            return (existing, false)
        }
        guard jobs.count < limits.capacity else {
            throw .full(limit: limits.capacity, retryAfterSeconds: secondsUntilRoom())
        }
        let cost = input.storedByteCount + limits.reserved(for: kind)
        guard bytesHeld + reservedBytes + cost <= limits.maxBytes else {
            throw .fullBytes(limitBytes: limits.maxBytes, retryAfterSeconds: secondsUntilRoom(forBytes: true))
        }
        let held = usage[owner, default: Usage()]
        if let most = limits.unfinishedPerCaller, held.unfinishedTotal >= most {
            throw .callerQueueFull(limit: most, retryAfterSeconds: secondsUntilRoom(of: owner, forBytes: true))
        }
        guard held.jobs < limits.jobsPerCaller else {
            throw .callerShareExceeded(limit: limits.jobsPerCaller, retryAfterSeconds: secondsUntilRoom(of: owner))
        }
        guard held.bytes + cost <= limits.bytesPerCaller else {
            throw .callerShareExceeded(limit: limits.jobsPerCaller, retryAfterSeconds: secondsUntilRoom(of: owner, forBytes: true))
        }
        let id = UUID().uuidString.lowercased()
        nextSequence += 1
        let job = Job(
            id: id, kind: kind, owner: owner, sequence: nextSequence, status: .queued, createdAt: now(), input: input,
            unknownFields: unknownFields)
        jobs[id] = job
        byScope[Scope(owner: owner, kind: kind), default: []].append((nextSequence, id))
        usage[owner, default: Usage()].jobs += 1
        usage[owner, default: Usage()].unfinished[kind.isSimulating, default: 0] += 1
        account(owner, bytes: input.storedByteCount)
        reserve(owner, kind, 1)
        if let scope {
            idempotencyKeys[scope] = (fingerprint, id)
            keyOfJob[id] = scope
        }
        return (job, true)
    }

    public func markRunning(id: String) -> Bool {
        guard let job = jobs[id], !job.status.isFinished else { return false }
        jobs[id]?.status = .running
        jobs[id]?.startedAt = now()
        return true
    }

    public func finish(id: String, outcome: JobOutcome) {
        // Deleted while running: nothing to record.
        guard var job = jobs[id], !job.status.isFinished else { return }
        let finished = now()
        switch outcome {
        case .succeeded(let result, let summary):
            job.status = .succeeded
            job.result = result
            job.summary = summary
            account(job.owner, bytes: result.storedByteCount)
        case .failed(let reason):
            job.status = .failed
            job.failure = reason
        }
        job.finishedAt = finished
        let expiry = finished.addingTimeInterval(retention.timeInterval)
        job.expiresAt = expiry
        jobs[id] = job
        reserve(job.owner, job.kind, -1)
        usage[job.owner]?.unfinished[job.kind.isSimulating, default: 1] -= 1
        if let started = job.startedAt {
            let seconds = max(0, finished.timeIntervalSince(started))
            let lane = job.kind.isSimulating
            meanRunSeconds[lane] = meanRunSeconds[lane].map { $0 * 0.8 + seconds * 0.2 } ?? seconds
        }
        expiring.append(expiry, id)
        resumeWaiters(of: id, with: job)
    }

    public func markDelivered(id: String) -> Date? {
        guard let job = jobs[id], job.status.isFinished, let finishedAt = job.finishedAt else { return jobs[id]?.expiresAt }
        let sooner = max(now(), finishedAt).addingTimeInterval(deliveredRetention.timeInterval)
        guard sooner < job.expiresAt ?? .distantFuture else { return job.expiresAt }
        jobs[id]?.expiresAt = sooner
        expiringDelivered.append(sooner, id)
        return sooner
    }

    public func job(id: String, kind: JobKind, owner: String) -> Job? {
        readsById += 1
        guard let job = jobs[id], job.kind == kind, job.owner == owner else { return nil }
        if let expiry = job.expiresAt, expiry <= now() {
            remove(id)
            return nil
        }
        return job
    }

    public func list(kind: JobKind, owner: String, status: JobStatus?, limit: Int, cursor: String?) -> JobPage {
        purgeExpired()
        let entries = byScope[Scope(owner: owner, kind: kind)] ?? []
        let before = cursor.flatMap { Int64($0) } ?? Int64.max
        // The first entry at or past the cursor, by binary search over the ascending sequences.
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].sequence < before { low = middle + 1 } else { high = middle }
        }
        let wanted = max(1, limit)
        var page: [Job] = []
        var index = low - 1
        var more = false
        while index >= 0 {
            if let job = jobs[entries[index].id], status == nil || job.status == status {
                if page.count == wanted {
                    more = true
                    break
                }
                page.append(job)
            }
            index -= 1
        }
        return JobPage(jobs: page, nextCursor: more ? page.last.map { String($0.sequence) } : nil)
    }

    public func delete(id: String, kind: JobKind, owner: String) -> Bool {
        guard let job = jobs[id], job.kind == kind, job.owner == owner else { return false }
        remove(id)
        return true
    }

    public func wait(id: String, kind: JobKind, owner: String, timeout: Duration) async -> Job? {
        guard let current = job(id: id, kind: kind, owner: owner) else { return nil }
        if current.status.isFinished || timeout <= .zero || Task.isCancelled { return current }
        nextWaiter += 1
        let token = nextWaiter
        // Woken by finish or delete; a timer (and cancellation) hands back the job as it stands.
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.stopWaiting(id: id, token: token)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[id, default: [:]][token] = continuation
            }
        } onCancel: {
            Task { await self.stopWaiting(id: id, token: token) }
        }
    }

    public func purgeExpired() {
        let current = now()
        for delivered in [false, true] {
            while let first = delivered ? expiringDelivered.first : expiring.first, first.at <= current {
                if delivered { expiringDelivered.removeFirst() } else { expiring.removeFirst() }
                if let job = jobs[first.id], let expiry = job.expiresAt, expiry <= current { remove(first.id) }
            }
        }
    }

    public func claimAbandoned(limit: Int) -> [Job] { [] }

    public func handOff(id: String) {
        finish(id: id, outcome: .failed(reason: JobRunner.cancelledReason))
    }

    public func counts() -> [JobKind: [JobStatus: Int]] {
        purgeExpired()
        var result: [JobKind: [JobStatus: Int]] = [:]
        for job in jobs.values { result[job.kind, default: [:]][job.status, default: 0] += 1 }
        return result
    }

    /// Bytes held by encoded inputs and results (for tests and metrics).
    public var storedBytes: Int { bytesHeld }

    private func stopWaiting(id: String, token: Int) {
        guard let continuation = waiters[id]?.removeValue(forKey: token) else { return }
        if waiters[id]?.isEmpty == true { waiters[id] = nil }
        continuation.resume(returning: jobs[id])
    }

    private func resumeWaiters(of id: String, with job: Job?) {
        guard let waiting = waiters.removeValue(forKey: id) else { return }
        for continuation in waiting.values { continuation.resume(returning: job) }
    }

    private func account(_ owner: String, bytes: Int) {
        bytesHeld += bytes
        usage[owner, default: Usage()].bytes += bytes
    }

    /// Keeps (or gives back) room for the result of one of `owner`'s unfinished jobs, charged to the owner.
    private func reserve(_ owner: String, _ kind: JobKind, _ count: Int) {
        let bytes = limits.reserved(for: kind) * count
        reservedBytes += bytes
        usage[owner, default: Usage()].bytes += bytes
    }

    private func remove(_ id: String) {
        guard let job = jobs.removeValue(forKey: id) else { return }
        if !job.status.isFinished {
            reserve(job.owner, job.kind, -1)
            usage[job.owner]?.unfinished[job.kind.isSimulating, default: 1] -= 1
        }
        account(job.owner, bytes: -job.storedByteCount)
        usage[job.owner]?.jobs -= 1
        if usage[job.owner]?.jobs == 0 { usage[job.owner] = nil }
        let scope = Scope(owner: job.owner, kind: job.kind)
        if var entries = byScope[scope] {
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].sequence < job.sequence { low = middle + 1 } else { high = middle }
            }
            if low < entries.count, entries[low].id == id { entries.remove(at: low) }
            byScope[scope] = entries.isEmpty ? nil : entries
        }
        if let key = keyOfJob.removeValue(forKey: id) { idempotencyKeys[key] = nil }
        resumeWaiters(of: id, with: nil)
    }

    /// Seconds until there is room again, at least 1: until the first finished job (of `owner`, or of anyone)
    /// expires, or — when unfinished work holds the room — until one of those jobs is expected to end (for a byte
    /// bound, which the end of a job frees at once) or to end and expire (for a count, which it frees only then).
    private func secondsUntilRoom(of owner: String? = nil, forBytes: Bool = false) -> Int {
        let current = now()
        let soonest = jobs.values.lazy
            .filter { owner == nil || $0.owner == owner }
            .compactMap(\.expiresAt).min()
        var wait = soonest.map { $0.timeIntervalSince(current) } ?? .infinity
        if let finish = secondsUntilAJobEnds(of: owner) {
            wait = min(wait, forBytes ? finish : finish + deliveredRetention.timeInterval)
        }
        guard wait.isFinite else { return max(1, Int(retention.timeInterval.rounded(.up))) }
        return max(1, min(Int(retention.timeInterval.rounded(.up)), Int(wait.rounded(.up))))
    }

    /// When the queue is expected to end one unfinished job (of `owner`, or of anyone), seconds; nil with none.
    ///
    /// Each lane runs its workers' worth of jobs at a time, each taking about the lane's mean run time; callers are
    /// served in turn, so one caller's next job ends after about one job of every caller with work in the lane.
    private func secondsUntilAJobEnds(of owner: String?) -> Double? {
        var soonest: Double?
        for lane in [true, false] {
            let mine = owner.map { usage[$0]?.unfinished[lane] ?? 0 } ?? usage.values.reduce(0) { $0 + ($1.unfinished[lane] ?? 0) }
            guard mine > 0 else { continue }
            let turns = owner == nil ? 1 : max(1, usage.values.filter { ($0.unfinished[lane] ?? 0) > 0 }.count)
            let mean = max(meanRunSeconds[lane] ?? limits.assumedRunSeconds, 0.001)
            let estimate = mean * Double(turns) / Double(limits.workers(simulating: lane))
            soonest = min(soonest ?? .infinity, estimate)
        }
        return soonest
    }
}
