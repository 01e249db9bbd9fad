import EKSNetCore
import Foundation
import Synchronization
import Testing

@testable import EKSNetServer

/// What every job store does, whatever keeps the jobs: one suite of cases, run against the memory store here and
/// against PostgreSQL in `PostgresJobStoreTests`. Time is an injected clock, so expiry is tested without waiting.
enum JobStoreConformance {
    /// The bounds and clock a case asks its store for.
    struct Settings: Sendable {
        var capacity = 100
        var callerShare = 1.0
        var retention: Duration = .seconds(3600)
        var deliveredRetention: Duration = .seconds(300)
        var maxBytes = 256 << 20
        var reservedResultBytes = 1 << 20
        var unfinishedPerCaller: Int?
    }

    final class TestClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    /// A store for one case, and what to do when the case is over.
    typealias MakeStore = @Sendable (Settings, TestClock) async throws -> (store: any JobStore, cleanup: @Sendable () async -> Void)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let settings: Settings
        let run: @Sendable (any JobStore, TestClock) async throws -> Void
        var testDescription: String { name }

        init(_ name: String, settings: Settings = Settings(), _ run: @escaping @Sendable (any JobStore, TestClock) async throws -> Void) {
            self.name = name
            self.settings = settings
            self.run = run
        }

        func run(with make: MakeStore) async throws {
            let clock = TestClock()
            let made = try await make(settings, clock)
            do {
                try await run(made.store, clock)
            } catch {
                await made.cleanup()
                throw error
            }
            await made.cleanup()
        }
    }

    static let alice = "sha256:alice"
    static let bob = "sha256:bob"

    static func input(_ text: String) -> EncodedJSON {
        EncodedJSON(json: Array("{\"name\":\"\(text)\"}".utf8))
    }

    @discardableResult
    static func submit(
        _ store: any JobStore, owner: String = alice, kind: JobKind = .plan, _ text: String = "a", key: String? = nil,
        fingerprint: String? = nil
    ) async throws(JobStoreError) -> Job {
        try await store.insert(
            kind: kind, owner: owner, input: input(text), unknownFields: [], idempotencyKey: key,
            fingerprint: fingerprint ?? text
        ).job
    }

    /// An input of `size` incompressible bytes (digits in a JSON string), stored as it is.
    static func sized(_ size: Int) -> EncodedJSON {
        var generator = SystemRandomNumberGenerator()
        let text = "\"" + String((0..<size).map { _ in Character(String(generator.next() % 10)) }) + "\""
        return EncodedJSON(json: Array(text.utf8), compressionThreshold: .max)
    }

    static func insertSized(_ store: any JobStore, owner: String, _ size: Int) async throws(JobStoreError) -> Job {
        try await store.insert(
            kind: .simulation, owner: owner, input: sized(size), unknownFields: [], idempotencyKey: nil,
            fingerprint: UUID().uuidString
        ).job
    }

    /// The store's reads of one job by id so far.
    static func reads(_ store: any JobStore) async -> Int {
        if let memory = store as? MemoryJobStore { return await memory.readsById }
        if let postgres = store as? PostgresJobStore { return postgres.readsById }
        return 0
    }

    /// The `Retry-After` of a refusal, and the refusal itself.
    static func refusal(_ body: () async throws(JobStoreError) -> Void) async -> JobStoreError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    static func retryAfter(_ error: JobStoreError?) -> Int? {
        switch error {
        case .full(_, let seconds), .fullBytes(_, let seconds), .callerShareExceeded(_, let seconds),
            .callerQueueFull(_, let seconds):
            return seconds
        default: return nil
        }
    }

    static func complete(_ store: any JobStore, _ job: Job, result: String = "done") async throws {
        _ = try await store.markRunning(id: job.id)
        try await store.finish(id: job.id, outcome: .succeeded(result: input(result), summary: "ok \(result)"))
    }

    static let cases: [Case] = [
        Case("submitRunFinishAndGetKeepTheBytes") { store, _ in
            let job = try await submit(store, "plan-1")
            #expect(job.status == .queued)
            let unknown = UnknownField(pointer: "/vpc/enableDnsHostname", suggestion: "enableDnsHostnames")
            let noted = try await store.insert(
                kind: .plan, owner: alice, input: input("plan-2"), unknownFields: [unknown], idempotencyKey: nil,
                fingerprint: "2"
            ).job
            #expect(try await store.markRunning(id: job.id))
            #expect(try await store.job(id: job.id, kind: .plan, owner: alice)?.status == .running)
            // A large result is kept compressed and comes back byte for byte.
            let large = Array(("{\"series\":[" + (0..<20_000).map { "\($0)" }.joined(separator: ",") + "]}").utf8)
            try await store.finish(id: job.id, outcome: .succeeded(result: EncodedJSON(json: large), summary: "ready"))
            let done = try #require(try await store.job(id: job.id, kind: .plan, owner: alice))
            #expect(done.status == .succeeded && done.summary == "ready")
            #expect(done.result?.isCompressed == true)
            #expect(Array(try #require(done.result).json().readableBytesView) == large)
            #expect(Array(try done.input.json().readableBytesView) == Array("{\"name\":\"plan-1\"}".utf8))
            #expect(done.startedAt != nil && done.finishedAt != nil && done.expiresAt != nil)
            #expect(try await store.job(id: noted.id, kind: .plan, owner: alice)?.unknownFields == [unknown])
        },
        Case("failuresAreKeptWithTheirReason") { store, _ in
            let job = try await submit(store)
            _ = try await store.markRunning(id: job.id)
            try await store.finish(id: job.id, outcome: .failed(reason: "time budget"))
            let done = try await store.job(id: job.id, kind: .plan, owner: alice)
            #expect(done?.status == .failed && done?.failure == "time budget" && done?.result == nil)
        },
        Case("aWaitWakesWhenTheJobFinishes") { store, _ in
            let job = try await submit(store)
            let others = [try await submit(store, "other-1"), try await submit(store, "other-2")]
            let before = await reads(store)
            async let waited = store.wait(id: job.id, kind: .plan, owner: alice, timeout: .seconds(600))
            // Finished only after the wait began: a wait that polled or missed the wake-up would still end, but
            // only at the 600 s timeout, which no run of this suite reaches.
            try await Task.sleep(for: .milliseconds(200))
            // Other jobs ending meanwhile do not make this wait look again.
            for other in others { try await complete(store, other) }
            try await Task.sleep(for: .milliseconds(50))
            try await complete(store, job)
            #expect(try await waited?.status == .succeeded)
            // A notified wait reads the job when it starts and once when woken; a polling one reads it on every
            // tick of its poll (a 10 ms poll: about 25 times here).
            let looked = await reads(store) - before
            #expect(looked <= 2, "the wait read the job \(looked) times")
        },
        Case("aWaitGivesUpAtItsTimeout") { store, _ in
            let job = try await submit(store)
            let seen = try await store.wait(id: job.id, kind: .plan, owner: alice, timeout: .milliseconds(50))
            #expect(seen?.status == .queued)
        },
        Case("aWaitOnADeletedJobEnds") { store, _ in
            let job = try await submit(store)
            async let waited = store.wait(id: job.id, kind: .plan, owner: alice, timeout: .seconds(600))
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await store.delete(id: job.id, kind: .plan, owner: alice))
            #expect(try await waited == nil)
        },
        Case("listsNewestFirstByCursorAndStatus") { store, _ in
            var ids: [String] = []
            for index in 0..<25 { ids.append(try await submit(store, "job-\(index)").id) }
            try await submit(store, owner: bob, "bob")
            try await submit(store, kind: .simulation, "simulation")
            for id in ids.prefix(5) { try await complete(store, try #require(try await store.job(id: id, kind: .plan, owner: alice))) }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: cursor)
                seen += page.jobs.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == Array(ids.reversed()))
            let succeeded = try await store.list(kind: .plan, owner: alice, status: .succeeded, limit: 3, cursor: nil)
            #expect(succeeded.jobs.map(\.id) == Array(ids.prefix(5).reversed().prefix(3)))
            let rest = try await store.list(kind: .plan, owner: alice, status: .succeeded, limit: 3, cursor: succeeded.nextCursor)
            #expect(rest.jobs.map(\.id) == Array(ids.prefix(2).reversed()) && rest.nextCursor == nil)
        },
        Case("deleteForgetsTheJob") { store, _ in
            let job = try await submit(store)
            #expect(!(try await store.delete(id: job.id, kind: .simulation, owner: alice)))
            #expect(!(try await store.delete(id: job.id, kind: .plan, owner: bob)))
            #expect(try await store.delete(id: job.id, kind: .plan, owner: alice))
            #expect(try await store.job(id: job.id, kind: .plan, owner: alice) == nil)
            #expect(!(try await store.delete(id: job.id, kind: .plan, owner: alice)))
            #expect(!(try await store.markRunning(id: job.id)))
            try await store.finish(id: job.id, outcome: .failed(reason: "late"))
            #expect(try await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: nil).jobs.isEmpty)
        },
        Case("idempotencyKeysReturnTheSameJobOrConflict") { store, _ in
            let first = try await submit(store, "a", key: "k-1", fingerprint: "f-1")
            let again = try await store.insert(
                kind: .plan, owner: alice, input: input("a"), unknownFields: [], idempotencyKey: "k-1", fingerprint: "f-1")
            #expect(!again.created && again.job.id == first.id)
            await #expect(throws: JobStoreError.idempotencyConflict(existingJobId: first.id)) {
                _ = try await store.insert(
                    kind: .plan, owner: alice, input: input("b"), unknownFields: [], idempotencyKey: "k-1", fingerprint: "f-2")
            }
            // The key is scoped to the caller and the kind.
            let bobs = try await submit(store, owner: bob, "a", key: "k-1", fingerprint: "f-1")
            let simulation = try await submit(store, kind: .simulation, "a", key: "k-1", fingerprint: "f-1")
            #expect(Set([first.id, bobs.id, simulation.id]).count == 3)
            // Deleted, the key is free again.
            #expect(try await store.delete(id: first.id, kind: .plan, owner: alice))
            let fresh = try await submit(store, "b", key: "k-1", fingerprint: "f-2")
            #expect(fresh.id != first.id)
        },
        Case("callersAreKeptApart") { store, _ in
            let job = try await submit(store)
            #expect(try await store.job(id: job.id, kind: .plan, owner: bob) == nil)
            #expect(try await store.wait(id: job.id, kind: .plan, owner: bob, timeout: .milliseconds(10)) == nil)
            #expect(try await store.list(kind: .plan, owner: bob, status: nil, limit: 10, cursor: nil).jobs.isEmpty)
        },
        Case("finishedJobsExpireAndDeliveredOnesSooner", settings: Settings(retention: .seconds(600), deliveredRetention: .seconds(60))) { store, clock in
            let kept = try await submit(store, "kept")
            let delivered = try await submit(store, "delivered")
            let unfinished = try await submit(store, "unfinished")
            try await complete(store, kept)
            try await complete(store, delivered)
            let sooner = await store.markDelivered(id: delivered.id)
            #expect(sooner == clock.now.addingTimeInterval(60))
            clock.advance(61)
            await store.purgeExpired()
            #expect(try await store.job(id: delivered.id, kind: .plan, owner: alice) == nil)
            #expect(try await store.job(id: kept.id, kind: .plan, owner: alice) != nil)
            clock.advance(540)
            #expect(try await store.job(id: kept.id, kind: .plan, owner: alice) == nil)
            await store.purgeExpired()
            #expect(try await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: nil).jobs.map(\.id) == [unfinished.id])
            clock.advance(1_000_000)
            #expect(try await store.job(id: unfinished.id, kind: .plan, owner: alice) != nil)
        },
        Case("aFullStoreRefusesWithTheTimeUntilRoom", settings: Settings(capacity: 2, retention: .seconds(100))) { store, clock in
            let first = try await submit(store, "1")
            try await submit(store, "2")
            try await complete(store, first)
            clock.advance(40)
            await #expect(throws: JobStoreError.full(limit: 2, retryAfterSeconds: 60)) { try await submit(store, "3") }
            clock.advance(61)
            try await submit(store, "3")
        },
        Case("textThePostgreSQLTextTypeRefusesIsKeptExactly") { store, _ in
            // NUL: PostgreSQL's text refuses it; a result holds it as the JSON escape, a summary or a reason as is.
            let result = Array("{\"name\":\"a\\u0000b\",\"raw\":\"\u{0}\u{1}\u{7F}\"}".utf8)
            let succeeded = try await submit(store, "nul-1")
            _ = try await store.markRunning(id: succeeded.id)
            try await store.finish(id: succeeded.id, outcome: .succeeded(result: EncodedJSON(json: result), summary: "one\u{0}two"))
            let failed = try await submit(store, "nul-2")
            try await store.finish(id: failed.id, outcome: .failed(reason: "bad name 'x\u{0}y'"))
            let done = try #require(try await store.job(id: succeeded.id, kind: .plan, owner: alice))
            #expect(done.status == .succeeded && done.summary == "one\u{0}two")
            #expect(Array(try #require(done.result).json().readableBytesView) == result)
            let refused = try #require(try await store.job(id: failed.id, kind: .plan, owner: alice))
            #expect(refused.status == .failed && refused.failure == "bad name 'x\u{0}y'")
            let listed = try await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: nil).jobs
            #expect(Set(listed.compactMap(\.summary)) == ["one\u{0}two"])
            #expect(Set(listed.compactMap(\.failure)) == ["bad name 'x\u{0}y'"])
        },
        Case(
            "reservationsAreChargedToTheCallerAndTheByteBoundHolds",
            settings: Settings(capacity: 100, callerShare: 0.5, maxBytes: 100_000, reservedResultBytes: 10_000)
        ) { store, _ in
            // Each simulation costs its 10 KB input and the 10 KB kept for its result, charged to its caller: two
            // fit in a caller's half (50 KB), a third does not — whatever the store as a whole still has.
            for _ in 0..<2 { _ = try await insertSized(store, owner: alice, 10_000) }
            let aliceRefused = await refusal { () async throws(JobStoreError) in _ = try await insertSized(store, owner: alice, 10_000) }
            guard case .callerShareExceeded = aliceRefused else {
                Issue.record("expected alice's share to be used, got \(String(describing: aliceRefused))")
                return
            }
            // Computed from the queue (nothing has finished, so nothing expires), not the retention.
            #expect((1...60).contains(retryAfter(aliceRefused) ?? 0), "\(String(describing: aliceRefused))")
            for _ in 0..<2 { _ = try await insertSized(store, owner: bob, 10_000) }
            // 80 KB held of 100 KB: a third caller's 20 KB job passes the bound.
            let full = await refusal { () async throws(JobStoreError) in _ = try await insertSized(store, owner: "sha256:carol", 10_000) }
            guard case .fullBytes(let limit, _) = full else {
                Issue.record("expected the byte bound, got \(String(describing: full))")
                return
            }
            #expect(limit == 100_000)
            #expect((1...60).contains(retryAfter(full) ?? 0), "\(String(describing: full))")
            // A finished job gives its reservation back.
            let finishing = try await insertSized(store, owner: "sha256:carol", 1_000)
            try await store.finish(id: finishing.id, outcome: .succeeded(result: input("small"), summary: nil))
            _ = try await insertSized(store, owner: "sha256:carol", 5_000)
        },
        Case("aCallersUnfinishedJobsAreCapped", settings: Settings(capacity: 100, unfinishedPerCaller: 2)) { store, _ in
            let first = try await submit(store, "1")
            try await submit(store, "2")
            let refused = await refusal { () async throws(JobStoreError) in try await submit(store, "3") }
            guard case .callerQueueFull(let limit, let seconds) = refused else {
                Issue.record("expected the unfinished cap, got \(String(describing: refused))")
                return
            }
            #expect(limit == 2 && (1...60).contains(seconds))
            // Others are not held back; and once one of alice's jobs ends she may submit again.
            try await submit(store, owner: bob, "b")
            try await complete(store, first)
            try await submit(store, "3")
        },
        Case("noCallerTakesMoreThanItsShare", settings: Settings(capacity: 10, callerShare: 0.3)) { store, _ in
            for index in 0..<3 { try await submit(store, "\(index)") }
            await #expect(throws: JobStoreError.self) { try await submit(store, "3") }
            do {
                try await submit(store, "3")
            } catch let error {
                guard case .callerShareExceeded(let limit, _)? = error as? JobStoreError else {
                    Issue.record("expected the caller's share, got \(error)")
                    return
                }
                #expect(limit == 3)
            }
            // Others still get in.
            try await submit(store, owner: bob, "b")
        },
    ]
}

@Suite struct MemoryJobStoreConformanceTests {
    static let make: JobStoreConformance.MakeStore = { settings, clock in
        let store = MemoryJobStore(
            limits: .init(
                capacity: settings.capacity, maxBytes: settings.maxBytes, callerShare: settings.callerShare,
                reservedResultBytes: settings.reservedResultBytes, unfinishedPerCaller: settings.unfinishedPerCaller),
            retention: settings.retention, deliveredRetention: settings.deliveredRetention, now: { clock.now })
        return (store, {})
    }

    @Test(arguments: JobStoreConformance.cases)
    func conforms(_ conformanceCase: JobStoreConformance.Case) async throws {
        try await conformanceCase.run(with: Self.make)
    }
}
