import EKSNetCore
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs jobs' work apart from request handling: on worker threads of its own (never the event loops or the shared
/// cooperative pool), a limited number at a time with a queue behind, each within a time budget, and cancelled when
/// its job is deleted or the server stops.
///
/// Two lanes, so that a quick plan never waits behind a long simulation: simulations on `simulationWorkers`
/// threads, plan evaluations and audits on `evaluationWorkers` threads. In each lane callers take turns.
///
/// A job's outcome is stored until the store takes it: a store that cannot be reached is asked again (the job
/// stays held, and its lease renewed, meanwhile), and an outcome the store refuses is stored as a failure saying
/// why. With a shared store the runner renews the leases of the jobs it holds, and only those.
public final class JobRunner: Service, Sendable {
    /// How much work may run at once, and for how long.
    public struct Limits: Sendable, Equatable {
        /// Threads (and so simulations running at once) for simulations.
        public var simulationWorkers: Int
        /// Threads for plan evaluations and audits.
        public var evaluationWorkers: Int
        /// The longest a job may run before it fails.
        public var timeBudget: Duration
        /// How often a shared store is asked for jobs whose replica died.
        public var takeoverInterval: Duration

        public init(simulationWorkers: Int, evaluationWorkers: Int = 1, timeBudget: Duration, takeoverInterval: Duration = .seconds(5)) {
            self.simulationWorkers = simulationWorkers
            self.evaluationWorkers = evaluationWorkers
            self.timeBudget = timeBudget
            self.takeoverInterval = takeoverInterval
        }

        /// One core fewer than the machine (or container quota) has, at least one: a core stays for the event
        /// loops and the probes even when every simulation slot is busy.
        public static func simulationWorkers(forCores cores: Int) -> Int { max(1, cores - 1) }
    }

    /// The work of one job: its result and a one-line summary.
    public typealias Work = @Sendable () async throws -> (result: any Encodable & Sendable, summary: String?)

    struct Lane: Sendable {
        let threads: WorkerThreads
        let slots: JobSlots
    }

    /// Why a job stopped before it finished.
    enum Stop: Error {
        case timeBudgetExceeded
    }

    public let store: any JobStore
    public let limits: Limits
    /// Rebuilds a stored job's work, for jobs taken over from a replica that died.
    private let resume: (@Sendable (Job) throws -> Work)?
    private let simulations: Lane
    private let evaluations: Lane
    /// The jobs this runner holds (waiting for a slot, running, or having their outcome stored).
    private let running = Mutex<[String: Task<Void, Never>]>([:])
    private let shuttingDown = Atomic<Bool>(false)
    /// Tries to store an outcome that failed and were made again (for tests and logs).
    let outcomeRetries = Atomic<Int>(0)
    private let logger: Logger

    public init(
        store: any JobStore, limits: Limits, logger: Logger = Logger(label: "eksnet.jobs"),
        resume: (@Sendable (Job) throws -> Work)? = nil
    ) {
        self.store = store
        self.limits = limits
        self.resume = resume
        self.logger = logger
        simulations = Lane(
            threads: WorkerThreads(count: limits.simulationWorkers, name: "eksnet-sim"),
            slots: JobSlots(limit: limits.simulationWorkers))
        evaluations = Lane(
            threads: WorkerThreads(count: limits.evaluationWorkers, name: "eksnet-eval"),
            slots: JobSlots(limit: limits.evaluationWorkers))
    }

    deinit {
        simulations.threads.shutdown()
        evaluations.threads.shutdown()
    }

    /// Stores a job and starts its work (queued until a slot is free). With an idempotency key seen before, the
    /// existing job is returned and nothing new runs.
    public func submit(
        kind: JobKind, owner: String, input: any Encodable & Sendable, unknownFields: [UnknownField] = [],
        idempotencyKey: String?, fingerprint: String, work: @escaping Work
    ) async throws(JobStoreError) -> (job: Job, created: Bool) {
        // Stopping: a job accepted now would only be cancelled (or handed to another replica) at once.
        if shuttingDown.load(ordering: .acquiring) { throw .unavailable(reason: Self.stoppingReason) }
        let encoded: EncodedJSON
        do {
            encoded = EncodedJSON(json: try JSONWire.encoder.encode(input))
        } catch {
            throw .unavailable(reason: "the input could not be encoded: \(error)")
        }
        let submitted = try await store.insert(
            kind: kind, owner: owner, input: encoded, unknownFields: unknownFields, idempotencyKey: idempotencyKey,
            fingerprint: fingerprint)
        if submitted.created { start(submitted.job, work: work) }
        return submitted
    }

    /// Deletes the owner's job and stops its work if it is queued or running.
    public func delete(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Bool {
        guard try await store.delete(id: id, kind: kind, owner: owner) else { return false }
        running.withLock { $0[id]?.cancel() }
        Self.returnFreedMemory()
        return true
    }

    /// Jobs waiting for a slot, per lane (for metrics).
    public func queued() async -> (simulations: Int, evaluations: Int) {
        (await simulations.slots.queued, await evaluations.slots.queued)
    }

    private func lane(for kind: JobKind) -> Lane {
        kind.isSimulating ? simulations : evaluations
    }

    private func start(_ job: Job, work: @escaping Work) {
        let lane = lane(for: job.kind)
        let id = job.id
        running.withLock { tasks in
            tasks[id] = Task { [self] in
                await self.run(id: id, kind: job.kind, owner: job.owner, lane: lane, work: work)
                _ = running.withLock { $0.removeValue(forKey: id) }
            }
        }
        // Submitted while stopping: the task above is cancelled at once, like every other.
        if shuttingDown.load(ordering: .acquiring) { running.withLock { $0[id]?.cancel() } }
    }

    private func run(id: String, kind: JobKind, owner: String, lane: Lane, work: @escaping Work) async {
        guard await lane.slots.acquire(owner: owner) else {
            await record(id: id, outcome: .failed(reason: Self.cancelledReason))
            return
        }
        let outcome: JobOutcome
        let proceed: Bool
        do {
            proceed = try await store.markRunning(id: id)
        } catch {
            // The store cannot say now: the work is a pure function of its input, so it runs, and its outcome is
            // stored once the store answers again.
            logger.warning("could not mark a job running; running it anyway", metadata: ["job": "\(id)", "reason": "\(error)"])
            proceed = true
        }
        if proceed {
            let started = ContinuousClock.now
            outcome = await execute(work, on: lane.threads)
            if case .succeeded = outcome {
                Telemetry.recordJob(kind: kind, succeeded: true, duration: ContinuousClock.now - started)
            } else {
                Telemetry.recordJob(kind: kind, succeeded: false, duration: ContinuousClock.now - started)
            }
        } else {
            outcome = .failed(reason: Self.cancelledReason)
        }
        await lane.slots.release()
        if kind.isSimulating { Self.returnFreedMemory() }
        if case .failed(Self.cancelledReason) = outcome, shuttingDown.load(ordering: .acquiring) {
            await store.handOff(id: id)
        } else {
            await record(id: id, outcome: outcome)
        }
    }

    /// Stores a job's outcome, asking again while the store cannot be reached (the job stays held meanwhile, so its
    /// lease is renewed and no other replica runs it again); an outcome the store refuses is replaced by a failure
    /// that says why. At shutdown it gives up after a few tries: the job's lease then lapses, and another replica
    /// runs it again.
    func record(id: String, outcome first: JobOutcome) async {
        var outcome = first
        var pause = retryPause.initial
        var failures = 0
        while true {
            do {
                try await store.finish(id: id, outcome: outcome)
                if failures > 0 { logger.info("job outcome stored after retrying", metadata: ["job": "\(id)", "tries": "\(failures + 1)"]) }
                return
            } catch .rejected(let reason) {
                logger.error("the store refused a job's outcome", metadata: ["job": "\(id)", "reason": "\(reason)"])
                guard case .succeeded = outcome else { return }
                outcome = .failed(reason: "its result could not be stored: \(reason)")
            } catch {
                failures += 1
                outcomeRetries.add(1, ordering: .relaxed)
                if failures == 1 || failures % 10 == 0 {
                    logger.warning(
                        "could not store a job's outcome; retrying", metadata: ["job": "\(id)", "tries": "\(failures)", "reason": "\(error)"])
                }
                if shuttingDown.load(ordering: .acquiring) && failures >= 3 {
                    logger.error("giving up storing a job's outcome at shutdown; another replica will run it", metadata: ["job": "\(id)"])
                    return
                }
                // Not cut short by the job's cancellation (a delete, a shutdown): the outcome must still be stored.
                let wait = pause
                await Task { try? await Task.sleep(for: wait) }.value
                pause = min(pause * 2, retryPause.maximum)
            }
        }
    }

    /// The pause between tries to store an outcome, doubling up to a maximum.
    var retryPause: (initial: Duration, maximum: Duration) { (.milliseconds(100), .seconds(5)) }

    /// The ids of the jobs this runner holds.
    var heldJobs: [String] { running.withLock { Array($0.keys) } }

    /// Renews the leases of the jobs this runner holds (a shared store's jobs): once now.
    func renewLeases() async {
        do {
            try await store.renewLeases(ids: heldJobs)
        } catch {
            logger.warning("could not renew job leases", metadata: ["reason": "\(error)"])
        }
    }

    /// Starts the jobs a shared store hands over from replicas that stopped renewing their leases.
    func takeOverAbandonedJobs() async {
        guard let resume else { return }
        for job in await store.claimAbandoned(limit: limits.simulationWorkers + limits.evaluationWorkers) {
            Telemetry.recordLeaseTakeover(kind: job.kind)
            logger.info("taking over a job whose replica stopped", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)"])
            do {
                start(job, work: try resume(job))
            } catch {
                await record(id: job.id, outcome: .failed(reason: "its stored input no longer resolves: \(error)"))
            }
        }
    }

    private func execute(_ work: @escaping Work, on threads: WorkerThreads) async -> JobOutcome {
        let budget = limits.timeBudget
        do {
            let value = try await withThrowingTaskGroup(of: (result: EncodedJSON, summary: String?)?.self) { group in
                // The result is encoded (and compressed) on the worker thread too: the store keeps bytes.
                group.addTask(executorPreference: threads) {
                    let value = try await work()
                    return (EncodedJSON(json: try JSONWire.encoder.encode(value.result)), value.summary)
                }
                group.addTask {
                    try await Task.sleep(for: budget)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else { throw Stop.timeBudgetExceeded }
                return value
            }
            return .succeeded(result: value.result, summary: value.summary)
        } catch Stop.timeBudgetExceeded {
            return .failed(
                reason: "the job ran longer than its time budget of \(Self.seconds(budget)) s (--max-job-seconds) "
                    + "and was stopped; simulate fewer nodes or a shorter duration")
        } catch is CancellationError {
            return .failed(reason: Self.cancelledReason)
        } catch {
            return .failed(reason: "\(error)")
        }
    }

    /// A large simulation's working set is freed when it ends, but glibc's allocator keeps the pages: hand them
    /// back to the system, so the pod's RSS follows what is held (the results, compressed) rather than the peak.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim` (not in the Glibc module's headers), looked up once.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif

    static let cancelledReason = "cancelled: the job was deleted or the server shut down before it finished"
    static let stoppingReason = "this server is shutting down and takes no new jobs; another replica (or this one once restarted) will"

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// Waits for the server's shutdown (or cancellation), then cancels whatever still runs, waits for it to stop,
    /// and ends the worker threads. In the application's service group it stops after the HTTP server, so
    /// requests waiting on a job (`Prefer: wait`) are answered first.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let interval = self.store.leaseRenewalInterval {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: interval)
                            if Task.isCancelled { break }
                            await self.renewLeases()
                        }
                    }
                }
                if self.resume != nil {
                    group.addTask {
                        while !Task.isCancelled {
                            await self.takeOverAbandonedJobs()
                            try? await Task.sleep(for: self.limits.takeoverInterval)
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                }
                await group.waitForAll()
            }
        }
        shuttingDown.store(true, ordering: .releasing)
        let tasks = running.withLock { tasks in
            for task in tasks.values { task.cancel() }
            return Array(tasks.values)
        }
        if !tasks.isEmpty { logger.info("cancelling unfinished jobs", metadata: ["jobs": "\(tasks.count)"]) }
        for task in tasks { await task.value }
        simulations.threads.shutdown()
        evaluations.threads.shutdown()
    }
}
