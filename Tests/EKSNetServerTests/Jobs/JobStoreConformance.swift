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
    ) async throws -> Job {
        try await store.insert(
            kind: kind, owner: owner, input: input(text), unknownFields: [], idempotencyKey: key,
            fingerprint: fingerprint ?? text
        ).job
    }

    static func complete(_ store: any JobStore, _ job: Job, result: String = "done") async {
        _ = await store.markRunning(id: job.id)
        await store.finish(id: job.id, outcome: .succeeded(result: input(result), summary: "ok \(result)"))
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
            #expect(await store.markRunning(id: job.id))
            #expect(await store.job(id: job.id, kind: .plan, owner: alice)?.status == .running)
            // A large result is kept compressed and comes back byte for byte.
            let large = Array(("{\"series\":[" + (0..<20_000).map { "\($0)" }.joined(separator: ",") + "]}").utf8)
            await store.finish(id: job.id, outcome: .succeeded(result: EncodedJSON(json: large), summary: "ready"))
            let done = try #require(await store.job(id: job.id, kind: .plan, owner: alice))
            #expect(done.status == .succeeded && done.summary == "ready")
            #expect(done.result?.isCompressed == true)
            #expect(Array(try #require(done.result).json().readableBytesView) == large)
            #expect(Array(try done.input.json().readableBytesView) == Array("{\"name\":\"plan-1\"}".utf8))
            #expect(done.startedAt != nil && done.finishedAt != nil && done.expiresAt != nil)
            #expect(await store.job(id: noted.id, kind: .plan, owner: alice)?.unknownFields == [unknown])
        },
        Case("failuresAreKeptWithTheirReason") { store, _ in
            let job = try await submit(store)
            _ = await store.markRunning(id: job.id)
            await store.finish(id: job.id, outcome: .failed(reason: "time budget"))
            let done = await store.job(id: job.id, kind: .plan, owner: alice)
            #expect(done?.status == .failed && done?.failure == "time budget" && done?.result == nil)
        },
        Case("aWaitWakesWhenTheJobFinishes") { store, _ in
            let job = try await submit(store)
            async let waited = store.wait(id: job.id, kind: .plan, owner: alice, timeout: .seconds(600))
            // Finished only after the wait began: a wait that polled or missed the wake-up would still end, but
            // only at the 600 s timeout, which no run of this suite reaches.
            try await Task.sleep(for: .milliseconds(20))
            await complete(store, job)
            #expect(await waited?.status == .succeeded)
        },
        Case("aWaitGivesUpAtItsTimeout") { store, _ in
            let job = try await submit(store)
            let seen = await store.wait(id: job.id, kind: .plan, owner: alice, timeout: .milliseconds(50))
            #expect(seen?.status == .queued)
        },
        Case("aWaitOnADeletedJobEnds") { store, _ in
            let job = try await submit(store)
            async let waited = store.wait(id: job.id, kind: .plan, owner: alice, timeout: .seconds(600))
            try await Task.sleep(for: .milliseconds(20))
            #expect(await store.delete(id: job.id, kind: .plan, owner: alice))
            #expect(await waited == nil)
        },
        Case("listsNewestFirstByCursorAndStatus") { store, _ in
            var ids: [String] = []
            for index in 0..<25 { ids.append(try await submit(store, "job-\(index)").id) }
            try await submit(store, owner: bob, "bob")
            try await submit(store, kind: .simulation, "simulation")
            for id in ids.prefix(5) { await complete(store, try #require(await store.job(id: id, kind: .plan, owner: alice))) }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: cursor)
                seen += page.jobs.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == Array(ids.reversed()))
            let succeeded = await store.list(kind: .plan, owner: alice, status: .succeeded, limit: 3, cursor: nil)
            #expect(succeeded.jobs.map(\.id) == Array(ids.prefix(5).reversed().prefix(3)))
            let rest = await store.list(kind: .plan, owner: alice, status: .succeeded, limit: 3, cursor: succeeded.nextCursor)
            #expect(rest.jobs.map(\.id) == Array(ids.prefix(2).reversed()) && rest.nextCursor == nil)
        },
        Case("deleteForgetsTheJob") { store, _ in
            let job = try await submit(store)
            #expect(!(await store.delete(id: job.id, kind: .simulation, owner: alice)))
            #expect(!(await store.delete(id: job.id, kind: .plan, owner: bob)))
            #expect(await store.delete(id: job.id, kind: .plan, owner: alice))
            #expect(await store.job(id: job.id, kind: .plan, owner: alice) == nil)
            #expect(!(await store.delete(id: job.id, kind: .plan, owner: alice)))
            #expect(!(await store.markRunning(id: job.id)))
            await store.finish(id: job.id, outcome: .failed(reason: "late"))
            #expect(await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: nil).jobs.isEmpty)
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
            #expect(await store.delete(id: first.id, kind: .plan, owner: alice))
            let fresh = try await submit(store, "b", key: "k-1", fingerprint: "f-2")
            #expect(fresh.id != first.id)
        },
        Case("callersAreKeptApart") { store, _ in
            let job = try await submit(store)
            #expect(await store.job(id: job.id, kind: .plan, owner: bob) == nil)
            #expect(await store.wait(id: job.id, kind: .plan, owner: bob, timeout: .milliseconds(10)) == nil)
            #expect(await store.list(kind: .plan, owner: bob, status: nil, limit: 10, cursor: nil).jobs.isEmpty)
        },
        Case("finishedJobsExpireAndDeliveredOnesSooner", settings: Settings(retention: .seconds(600), deliveredRetention: .seconds(60))) { store, clock in
            let kept = try await submit(store, "kept")
            let delivered = try await submit(store, "delivered")
            let unfinished = try await submit(store, "unfinished")
            await complete(store, kept)
            await complete(store, delivered)
            let sooner = await store.markDelivered(id: delivered.id)
            #expect(sooner == clock.now.addingTimeInterval(60))
            clock.advance(61)
            await store.purgeExpired()
            #expect(await store.job(id: delivered.id, kind: .plan, owner: alice) == nil)
            #expect(await store.job(id: kept.id, kind: .plan, owner: alice) != nil)
            clock.advance(540)
            #expect(await store.job(id: kept.id, kind: .plan, owner: alice) == nil)
            await store.purgeExpired()
            #expect(await store.list(kind: .plan, owner: alice, status: nil, limit: 10, cursor: nil).jobs.map(\.id) == [unfinished.id])
            clock.advance(1_000_000)
            #expect(await store.job(id: unfinished.id, kind: .plan, owner: alice) != nil)
        },
        Case("aFullStoreRefusesWithTheTimeUntilRoom", settings: Settings(capacity: 2, retention: .seconds(100))) { store, clock in
            let first = try await submit(store, "1")
            try await submit(store, "2")
            await complete(store, first)
            clock.advance(40)
            await #expect(throws: JobStoreError.full(limit: 2, retryAfterSeconds: 60)) { try await submit(store, "3") }
            clock.advance(61)
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
            limits: .init(capacity: settings.capacity, callerShare: settings.callerShare),
            retention: settings.retention, deliveredRetention: settings.deliveredRetention, now: { clock.now })
        return (store, {})
    }

    @Test(arguments: JobStoreConformance.cases)
    func conforms(_ conformanceCase: JobStoreConformance.Case) async throws {
        try await conformanceCase.run(with: Self.make)
    }
}
