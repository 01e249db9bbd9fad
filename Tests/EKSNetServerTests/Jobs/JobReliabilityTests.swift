import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import EKSNetServer

/// Issue 28: jobs never stuck, honest answers while the store is away, fair use of the store and the workers.
/// Order of events and counts are the assertions, never durations.
@Suite struct JobReliabilityTests {
    static let owner = "sha256:reliability"

    static var plan: ByteBuffer {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/eksctl-3az.json")
        return ByteBuffer(data: (try? Data(contentsOf: url)) ?? Data())
    }

    static let retryAfter = HTTPField.Name("Retry-After")!

    func waitUntil(_ condition: () async throws -> Bool) async throws {
        while !(try await condition()) { try await Task.sleep(for: .milliseconds(5)) }
    }

    // MARK: - Draining (issue 28 §6)

    @Test func submissionsWhileDrainingAre503WithRetryAfter() async throws {
        let readiness = Readiness(.ready)
        let app = buildApplication(TestSupport.configuration(), readiness: readiness)
        try await app.test(.router) { client in
            let accepted = try await client.execute(
                uri: "/v1/plans", method: .post, headers: [.contentType: "application/json", .init("Prefer")!: "wait=60"],
                body: Self.plan)
            #expect(accepted.status == .ok)
            let location = try #require(accepted.headers[.location])
            readiness.markDraining()
            let refused = try await client.execute(uri: "/v1/plans", method: .post, headers: TestSupport.jsonHeaders, body: Self.plan)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[Self.retryAfter] == "5")
            #expect(try TestSupport.object(refused)["type"] as? String == "urn:eksnet:problem:draining")
            // Nothing was stored for it: the one job is the one accepted before.
            let listed = try TestSupport.object(try await client.get("/v1/plans"))
            #expect((listed["items"] as? [[String: Any]])?.count == 1)
            // Reads still answer while draining.
            #expect(try await client.get(location).status == .ok)
        }
    }

    // MARK: - Fair use (issue 28 §5)

    /// With authentication off everyone is `anonymous`: the one owner may use the whole store, not half of it.
    @Test func theOneOwnerHasNoShareLimit() async throws {
        var configuration = TestSupport.configuration()
        configuration.maxJobs = 4
        let app = buildApplication(configuration, readiness: Readiness(.ready))
        try await app.test(.router) { client in
            for _ in 0..<4 {
                let answer = try await client.execute(
                    uri: "/v1/plans", method: .post, headers: [.contentType: "application/json", .init("Prefer")!: "wait=60"],
                    body: Self.plan)
                #expect(answer.status == .ok)
            }
            let refused = try await client.execute(uri: "/v1/plans", method: .post, headers: TestSupport.jsonHeaders, body: Self.plan)
            #expect(refused.status == .serviceUnavailable)
            #expect(try TestSupport.object(refused)["type"] as? String == "urn:eksnet:problem:job-store-full")
        }
    }

    /// A second caller's job is not queued behind the first caller's whole queue: callers take turns in a lane.
    static func callersTakeTurns(_ store: any JobStore) async throws {
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
        let order = Mutex<[String]>([])
        var gates: [String: JobRunnerTests.Gate] = [:]
        func submit(_ owner: String, _ label: String) async throws -> Job {
            let gate = JobRunnerTests.Gate()
            gates[label] = gate
            return try await runner.submit(kind: .simulation, owner: owner, input: label, idempotencyKey: nil, fingerprint: label) {
                order.withLock { $0.append(label) }
                await gate.pass()
                return (label, nil)
            }.job
        }
        var jobs: [Job] = []
        for index in 1...4 { jobs.append(try await submit("sha256:heavy", "A\(index)")) }
        while order.withLock({ $0 }) != ["A1"] { try await Task.sleep(for: .milliseconds(5)) }
        jobs.append(try await submit("sha256:light", "B1"))
        // The first caller's queue was there first; the second caller's job still runs next.
        for (index, label) in ["A1", "B1", "A2", "A3"].enumerated() {
            gates[label]?.open()
            while order.withLock({ $0.count }) < index + 2 { try await Task.sleep(for: .milliseconds(5)) }
        }
        gates["A4"]?.open()
        #expect(order.withLock { $0 } == ["A1", "B1", "A2", "A3", "A4"])
        for job in jobs {
            let done = try await store.wait(id: job.id, kind: .simulation, owner: job.owner, timeout: .seconds(600))
            #expect(done?.status == .succeeded)
        }
    }

    @Test func callersTakeTurnsInALane() async throws {
        try await Self.callersTakeTurns(MemoryJobStore())
    }

    // MARK: - Cancellation (issue 28 §8)

    /// A deleted simulation stops within one tick of its DELETE and its worker takes the next job. The run begins
    /// only after the DELETE (the work waits at a gate until then), so every tick it runs is a tick after it: the
    /// partial result's node-ticks are the count. Ignoring cancellation would run all 200 × 17,281 of them.
    @Test func aDeletedSimulationStopsWithinATickAndFreesItsWorker() async throws {
        let nodes = 200
        let input = try JSONDecoder().decode(
            SimulationInput.self,
            from: JSONSerialization.data(withJSONObject: [
                "durationSeconds": 86_400, "seed": 1, "compareAlternatives": true,
                "subnets": [["subnetId": "s", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/16"]],
                "nodeGroups": [["name": "ng", "instanceType": "m5.large", "subnetIds": ["s"], "nodes": nodes]],
                "workloads": [["name": "w", "nodeGroup": "ng", "pods": 3000]],
                "events": [["at": 600, "type": "rollingRestart", "workload": "w"]],
            ] as [String: Any]))
        let setup = try SimulationSetup(input, aws: .embedded)
        let store = MemoryJobStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
        let gate = JobRunnerTests.Gate()
        let atGate = Mutex(false)
        let partial = Mutex<SimulationResult?>(nil)
        let (job, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: input, idempotencyKey: nil, fingerprint: "big"
        ) {
            atGate.withLock { $0 = true }
            await gate.pass()
            let result = IPAllocationSimulator.run(setup)
            partial.withLock { $0 = result }
            try Task.checkCancellation()
            return (result, nil)
        }
        try await waitUntil { atGate.withLock { $0 } }
        #expect(await store.job(id: job.id, kind: .simulation, owner: Self.owner)?.status == .running)
        #expect(try await runner.delete(id: job.id, kind: .simulation, owner: Self.owner))
        gate.open()
        try await waitUntil { partial.withLock { $0 != nil } }
        let ran = try #require(partial.withLock { $0 })
        #expect(ran.summary.nodeTicks <= nodes, "\(ran.summary.nodeTicks) node-ticks ran after the DELETE")
        #expect(ran.alternatives.isEmpty)
        #expect(setup.nodeTickBound >= nodes * 17_000)
        // The worker is free: the lane holds nothing, and the next job runs.
        try await waitUntil { runner.heldJobs.isEmpty }
        let (next, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: "n", idempotencyKey: nil, fingerprint: "2"
        ) { ("ok", nil) }
        let done = await store.wait(id: next.id, kind: .simulation, owner: Self.owner, timeout: .seconds(600))
        #expect(done?.status == .succeeded)
    }

    // MARK: - Outcomes stored whatever they hold (issue 28 §3)

    /// An outcome the store refuses is stored as a failure that says why, rather than dropped.
    @Test func anOutcomeTheStoreRefusesBecomesAFailure() async throws {
        let store = RefusingStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(60)))
        let (job, _) = try await runner.submit(kind: .plan, owner: Self.owner, input: "a", idempotencyKey: nil, fingerprint: "1") {
            ("refused", "s")
        }
        let done = try await store.wait(id: job.id, kind: .plan, owner: Self.owner, timeout: .seconds(600))
        #expect(done?.status == .failed)
        #expect(done?.failure?.contains("could not be stored: no room for this") == true, "\(done?.failure ?? "")")
    }

    /// A memory store that refuses every successful outcome (as PostgreSQL refuses a value past its limits).
    final class RefusingStore: JobStore {
        let base = MemoryJobStore()
        func insert(
            kind: JobKind, owner: String, input: EncodedJSON, unknownFields: [UnknownField], idempotencyKey: String?, fingerprint: String
        ) async throws(JobStoreError) -> (job: Job, created: Bool) {
            try await base.insert(
                kind: kind, owner: owner, input: input, unknownFields: unknownFields, idempotencyKey: idempotencyKey, fingerprint: fingerprint)
        }
        func markRunning(id: String) async throws(JobStoreError) -> Bool { await base.markRunning(id: id) }
        func finish(id: String, outcome: JobOutcome) async throws(JobStoreError) {
            if case .succeeded = outcome { throw .rejected(reason: "no room for this") }
            await base.finish(id: id, outcome: outcome)
        }
        func job(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Job? { await base.job(id: id, kind: kind, owner: owner) }
        func list(kind: JobKind, owner: String, status: JobStatus?, limit: Int, cursor: String?) async throws(JobStoreError) -> JobPage {
            await base.list(kind: kind, owner: owner, status: status, limit: limit, cursor: cursor)
        }
        func delete(id: String, kind: JobKind, owner: String) async throws(JobStoreError) -> Bool { await base.delete(id: id, kind: kind, owner: owner) }
        func wait(id: String, kind: JobKind, owner: String, timeout: Duration) async throws(JobStoreError) -> Job? {
            await base.wait(id: id, kind: kind, owner: owner, timeout: timeout)
        }
        func markDelivered(id: String) async -> Date? { await base.markDelivered(id: id) }
        func purgeExpired() async { await base.purgeExpired() }
        func claimAbandoned(limit: Int) async -> [Job] { [] }
        func handOff(id: String) async { await base.handOff(id: id) }
        func counts() async -> [JobKind: [JobStatus: Int]] { await base.counts() }
    }
}

/// The same against a real PostgreSQL (`scripts/with-postgres`).
@Suite(.enabled(if: TestDatabase.available)) struct PostgresJobReliabilityTests {
    static let owner = "sha256:reliability"

    static func settings(_ replica: String) -> PostgresJobStore.Settings {
        var settings = PostgresJobStore.Settings()
        settings.replica = replica
        settings.lease = .seconds(30)
        return settings
    }

    @Test func callersTakeTurnsInALane() async throws {
        try await TestDatabase.withDatabase { url in
            let (store, stop) = try await TestDatabase.store(url)
            try await JobReliabilityTests.callersTakeTurns(store)
            await stop()
        }
    }

    /// A result and a summary holding NUL, which PostgreSQL's text refuses, are stored through the runner.
    @Test func anOutcomeHoldingNULIsStored() async throws {
        try await TestDatabase.withDatabase { url in
            let (store, stop) = try await TestDatabase.store(url)
            let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(60)))
            let (job, _) = try await runner.submit(kind: .plan, owner: Self.owner, input: "a", idempotencyKey: nil, fingerprint: "1") {
                (["name": "a\u{0}b"], "cluster a\u{0}b: ready")
            }
            let done = try await store.wait(id: job.id, kind: .plan, owner: Self.owner, timeout: .seconds(600))
            #expect(done?.status == .succeeded && done?.summary == "cluster a\u{0}b: ready")
            let result = try JSONSerialization.jsonObject(with: Data(buffer: try #require(done?.result).json())) as? [String: String]
            #expect(result?["name"] == "a\u{0}b")
            #expect(try await TestDatabase.count(url, "SELECT count(*) FROM eksnet_jobs WHERE status IN ('queued', 'running')") == 0)
            await stop()
        }
    }

    /// Leases are renewed for the jobs the runner holds, and only those: a job no runner holds (its outcome given
    /// up, its runner gone) lapses and another replica takes it.
    @Test func onlyTheJobsTheRunnerHoldsKeepTheirLeases() async throws {
        try await TestDatabase.withDatabase { url in
            let clock = JobStoreConformance.TestClock()
            let (a, stopA) = try await TestDatabase.store(url, settings: Self.settings("replica-a"), now: { clock.now })
            let (b, stopB) = try await TestDatabase.store(url, settings: Self.settings("replica-b"), now: { clock.now })
            let runner = JobRunner(store: a, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
            let gate = JobRunnerTests.Gate()
            let (held, _) = try await runner.submit(kind: .simulation, owner: Self.owner, input: "held", idempotencyKey: nil, fingerprint: "1") {
                await gate.pass()
                return ("ok", nil)
            }
            let orphan = try await a.insert(
                kind: .simulation, owner: Self.owner, input: EncodedJSON(json: Array("\"orphan\"".utf8)), unknownFields: [],
                idempotencyKey: nil, fingerprint: "2"
            ).job
            #expect(runner.heldJobs == [held.id])
            clock.advance(31)
            await runner.renewLeases()
            let claimed = await b.claimAbandoned(limit: 10)
            #expect(claimed.map(\.id) == [orphan.id])
            gate.open()
            let done = try await a.wait(id: held.id, kind: .simulation, owner: Self.owner, timeout: .seconds(600))
            #expect(done?.status == .succeeded)
            await stopA()
            await stopB()
        }
    }

    /// A job whose replicas keep dying is failed after its last attempt instead of being taken over for ever.
    @Test func aJobOutOfAttemptsFails() async throws {
        try await TestDatabase.withDatabase { url in
            let clock = JobStoreConformance.TestClock()
            var settings = Self.settings("replica-a")
            settings.maxAttempts = 3
            let (a, stopA) = try await TestDatabase.store(url, settings: settings, now: { clock.now })
            settings.replica = "replica-b"
            let (b, stopB) = try await TestDatabase.store(url, settings: settings, now: { clock.now })
            let job = try await JobStoreConformance.submit(a, owner: Self.owner)
            // Runs 2 and 3: taken over after the lease lapsed.
            for _ in 0..<2 {
                clock.advance(31)
                #expect(await b.claimAbandoned(limit: 10).map(\.id) == [job.id])
            }
            clock.advance(31)
            #expect(await b.claimAbandoned(limit: 10).isEmpty)
            let ended = try await a.job(id: job.id, kind: .plan, owner: Self.owner)
            #expect(ended?.status == .failed && ended?.failure?.contains("abandoned") == true, "\(ended?.failure ?? "")")
            #expect(ended?.expiresAt != nil)
            #expect(try await TestDatabase.count(url, "SELECT attempts FROM eksnet_jobs WHERE id = '\(job.id)'") == 2)
            await stopA()
            await stopB()
        }
    }

    /// A job still unfinished past the bound is failed by the sweep, and then expires as finished jobs do: it no
    /// longer counts against the store or its caller.
    @Test func unfinishedJobsPastTheBoundAreReaped() async throws {
        try await TestDatabase.withDatabase { url in
            let clock = JobStoreConformance.TestClock()
            var settings = Self.settings("replica-a")
            settings.unfinishedLimit = .seconds(100)
            settings.retention = .seconds(600)
            settings.capacity = 1
            let (store, stop) = try await TestDatabase.store(url, settings: settings, now: { clock.now })
            let job = try await JobStoreConformance.submit(store, owner: Self.owner)
            _ = try await store.markRunning(id: job.id)
            clock.advance(99)
            await store.purgeExpired()
            #expect(try await store.job(id: job.id, kind: .plan, owner: Self.owner)?.status == .running)
            clock.advance(2)
            await store.purgeExpired()
            let reaped = try await store.job(id: job.id, kind: .plan, owner: Self.owner)
            #expect(reaped?.status == .failed && reaped?.failure?.contains("unfinished") == true, "\(reaped?.failure ?? "")")
            // A late outcome changes nothing.
            try await store.finish(id: job.id, outcome: .succeeded(result: JobStoreConformance.input("late"), summary: nil))
            #expect(try await store.job(id: job.id, kind: .plan, owner: Self.owner)?.status == .failed)
            clock.advance(601)
            await store.purgeExpired()
            #expect(try await store.job(id: job.id, kind: .plan, owner: Self.owner) == nil)
            _ = try await JobStoreConformance.submit(store, owner: Self.owner, "room again")
            await stop()
        }
    }
}

/// A PostgreSQL server of the test's own, which it stops and starts (`scripts/with-postgres` provides the script).
struct TestDatabaseInstance {
    static let script = ProcessInfo.processInfo.environment["EKSNET_TEST_POSTGRES_INSTANCE"]
    static var available: Bool { script != nil }
    let name = "i\(UUID().uuidString.prefix(8).lowercased())"

    /// Runs the script and waits for it (by `system`, which reaps its own child: Foundation's `Process` left
    /// these children unreaped and `waitUntilExit` waiting for ever).
    @discardableResult
    func run(_ command: String) throws -> String {
        let output = NSTemporaryDirectory() + "eksnet-instance-\(name)-\(command).out"
        let status = system("'\(try #require(Self.script))' \(command) \(name) > '\(output)'")
        try #require(status == 0, "\(command) \(name) failed (\(status))")
        defer { try? FileManager.default.removeItem(atPath: output) }
        return try String(contentsOfFile: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func create() throws -> DatabaseURL { try DatabaseURL(parsing: try run("create")) }
    func stop() throws { try run("stop") }
    func start() throws { try run("start") }
}

/// The database stopped mid-job: reads answer 503 with `Retry-After` (never "not found"), the outcome is stored
/// once the database is back, the job runs once (issue 28 §3, §4).
@Suite(.enabled(if: TestDatabase.available && TestDatabaseInstance.available)) struct PostgresOutageTests {
    @Test func anOutageMidJobIsAnsweredWith503AndTheOutcomeIsStoredAfterwards() async throws {
        let instance = TestDatabaseInstance()
        let url = try instance.create()
        let store = PostgresJobStore(url: url, logger: TestDatabase.logger)
        let running = Task { try await store.run() }
        defer { running.cancel() }
        try await store.waitUntilMigrated()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
        let owner = Caller.anonymous.owner
        let gate = JobRunnerTests.Gate()
        let runs = Mutex(0)
        let (job, _) = try await runner.submit(kind: .plan, owner: owner, input: "p", idempotencyKey: nil, fingerprint: "1") {
            runs.withLock { $0 += 1 }
            await gate.pass()
            return (["verdict": "ok"], "ready")
        }
        while runs.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        try instance.stop()

        let app = Application(router: buildRouter(TestSupport.configuration(), readiness: Readiness(.ready), runner: runner))
        try await app.test(.router) { client in
            for (method, uri) in [
                (HTTPRequest.Method.get, "/v1/plans/\(job.id)"), (.get, "/v1/plans"), (.delete, "/v1/plans/\(job.id)"),
            ] {
                let answer = try await client.execute(uri: uri, method: method)
                #expect(answer.status == .serviceUnavailable, "\(method) \(uri)")
                #expect(answer.headers[JobReliabilityTests.retryAfter] == "5", "\(method) \(uri)")
                #expect(try TestSupport.object(answer)["type"] as? String == "urn:eksnet:problem:job-store-unavailable")
            }
            let waited = try await client.execute(uri: "/v1/plans/\(job.id)", method: .get, headers: [.init("Prefer")!: "wait=1"])
            #expect(waited.status == .serviceUnavailable)
        }
        await #expect(throws: JobStoreError.self) { _ = try await store.wait(id: job.id, kind: .plan, owner: owner, timeout: .seconds(1)) }

        // The work ends while the database is away: its outcome is tried, and tried again.
        gate.open()
        // Bounded so that a store that never answers fails the test instead of hanging the run.
        for _ in 0..<15_000 where runner.outcomeRetries.load(ordering: .relaxed) < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(runner.outcomeRetries.load(ordering: .relaxed) >= 2)
        #expect(runner.heldJobs == [job.id])
        try instance.start()
        var done: Job?
        for _ in 0..<60 where done?.status.isFinished != true {
            done = try? await store.wait(id: job.id, kind: .plan, owner: owner, timeout: .seconds(10))
        }
        #expect(done?.status == .succeeded && done?.summary == "ready")
        #expect(runs.withLock { $0 } == 1)
        for _ in 0..<60_000 where !runner.heldJobs.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        #expect(runner.heldJobs.isEmpty)
        try instance.stop()
    }
}
