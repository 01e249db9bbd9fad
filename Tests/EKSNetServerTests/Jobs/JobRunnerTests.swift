import Foundation
import Synchronization
import Testing

@testable import EKSNetServer

/// The runner keeps CPU-heavy work off request handling, runs a limited number at once with a queue behind, and
/// stops work that is deleted, over its time budget, or still running at shutdown (issue 9, defect 4).
@Suite struct JobRunnerTests {
    static let owner = "sha256:runner-test"

    /// A door the test opens: work waits at it, so the test decides when work ends, with no clock involved.
    final class Gate: Sendable {
        private let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
        func open() { continuation.finish() }
        func pass() async { for await _ in stream {} }
    }

    /// The names of the threads work ran on, in order.
    final class Threads: Sendable {
        private let names = Mutex<[String]>([])
        /// The OS thread's name, as Linux has it (Foundation's `Thread.current` is not reliable in async code).
        func note() {
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
            names.withLock { $0.append(name.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        var all: [String] { names.withLock { $0 } }
    }

    /// Runs `count` jobs of `kind` that each note where they ran and then wait at the gate.
    func submitBlocked(
        _ runner: JobRunner, kind: JobKind, count: Int, gate: Gate, threads: Threads
    ) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let (job, _) = try await runner.submit(
                kind: kind, owner: Self.owner, input: index, idempotencyKey: nil, fingerprint: "\(index)"
            ) {
                threads.note()
                await gate.pass()
                return (index, nil)
            }
            ids.append(job.id)
        }
        return ids
    }

    func status(_ store: MemoryJobStore, _ id: String, _ kind: JobKind) async -> JobStatus? {
        await store.job(id: id, kind: kind, owner: Self.owner)?.status
    }

    func waitUntil(_ condition: () async -> Bool) async throws {
        while !(await condition()) { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func workRunsOnTheRunnersOwnThreadsOneLaneAtATime() async throws {
        let store = MemoryJobStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 2, timeBudget: .seconds(600)))
        let gate = Gate()
        let threads = Threads()
        let ids = try await submitBlocked(runner, kind: .simulation, count: 3, gate: gate, threads: threads)
        try await waitUntil { threads.all.count == 2 }
        #expect(await status(store, ids[0], .simulation) == .running)
        #expect(await status(store, ids[1], .simulation) == .running)
        // Two workers: the third waits its turn, queued, and says so in metrics.
        #expect(await status(store, ids[2], .simulation) == .queued)
        #expect(await runner.queued().simulations == 1)
        // A plan does not wait behind simulations: it has a lane of its own.
        let (plan, _) = try await runner.submit(
            kind: .plan, owner: Self.owner, input: "p", idempotencyKey: nil, fingerprint: "p"
        ) {
            threads.note()
            return ("done", nil)
        }
        let finishedPlan = await store.wait(id: plan.id, kind: .plan, owner: Self.owner, timeout: .seconds(60))
        #expect(finishedPlan?.status == .succeeded)
        gate.open()
        for id in ids {
            let done = await store.wait(id: id, kind: .simulation, owner: Self.owner, timeout: .seconds(60))
            #expect(done?.status == .succeeded)
        }
        let names = threads.all
        #expect(names.filter { $0.hasPrefix("eksnet-sim-") }.count == 3, "\(names)")
        #expect(names.filter { $0.hasPrefix("eksnet-eval-") }.count == 1, "\(names)")
    }

    @Test func aJobOverItsTimeBudgetFailsAndFreesItsWorker() async throws {
        let store = MemoryJobStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .milliseconds(50)))
        let stopped = Mutex(false)
        let (job, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: "spin", idempotencyKey: nil, fingerprint: "1"
        ) {
            // CPU-bound work that only looks at cancellation, as the simulator's tick loop does.
            while !Task.isCancelled { _ = (0..<1000).reduce(0, &+) }
            stopped.withLock { $0 = true }
            throw CancellationError()
        }
        let done = await store.wait(id: job.id, kind: .simulation, owner: Self.owner, timeout: .seconds(600))
        #expect(done?.status == .failed)
        #expect(done?.failure?.contains("time budget") == true, "\(done?.failure ?? "")")
        #expect(stopped.withLock { $0 })
        // The worker is free again: the next job runs.
        let (next, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: "next", idempotencyKey: nil, fingerprint: "2"
        ) { ("ok", nil) }
        let second = await store.wait(id: next.id, kind: .simulation, owner: Self.owner, timeout: .seconds(600))
        #expect(second?.status == .succeeded)
    }

    @Test func deletingARunningJobStopsItsWork() async throws {
        let store = MemoryJobStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
        let started = Mutex(false)
        let stopped = Mutex(false)
        let (job, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: "spin", idempotencyKey: nil, fingerprint: "1"
        ) {
            started.withLock { $0 = true }
            while !Task.isCancelled { _ = (0..<1000).reduce(0, &+) }
            stopped.withLock { $0 = true }
            throw CancellationError()
        }
        try await waitUntil { started.withLock { $0 } }
        #expect(try await runner.delete(id: job.id, kind: .simulation, owner: "sha256:someone-else") == false)
        #expect(try await runner.delete(id: job.id, kind: .simulation, owner: Self.owner))
        try await waitUntil { stopped.withLock { $0 } }
        // The lane is free for the next job.
        let (next, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: "n", idempotencyKey: nil, fingerprint: "2"
        ) { ("ok", nil) }
        let done = await store.wait(id: next.id, kind: .simulation, owner: Self.owner, timeout: .seconds(600))
        #expect(done?.status == .succeeded)
    }

    @Test func deletingAQueuedJobMeansItNeverRuns() async throws {
        let store = MemoryJobStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
        let gate = Gate()
        let threads = Threads()
        let ids = try await submitBlocked(runner, kind: .simulation, count: 2, gate: gate, threads: threads)
        try await waitUntil { threads.all.count == 1 }
        #expect(try await runner.delete(id: ids[1], kind: .simulation, owner: Self.owner))
        gate.open()
        let first = await store.wait(id: ids[0], kind: .simulation, owner: Self.owner, timeout: .seconds(600))
        #expect(first?.status == .succeeded)
        try await waitUntil { await runner.queued().simulations == 0 }
        #expect(threads.all.count == 1)
    }

    @Test func theSimulatorStopsWhenItsTaskIsCancelled() async throws {
        // The largest shape the issue names: the run must end on cancellation, long before it would finish.
        let input = try JSONDecoder().decode(
            EKSNetCore.SimulationInput.self,
            from: JSONSerialization.data(withJSONObject: [
                "durationSeconds": 86_400, "seed": 1, "compareAlternatives": true,
                "subnets": [["subnetId": "s", "availabilityZone": "us-east-1a", "cidrBlock": "10.0.0.0/16"]],
                "nodeGroups": [["name": "ng", "instanceType": "m5.large", "subnetIds": ["s"], "nodes": 2800]],
                "workloads": [["name": "w", "nodeGroup": "ng", "pods": 40_000]],
                "events": [["at": 600, "type": "rollingRestart", "workload": "w"]],
            ] as [String: Any]))
        let store = MemoryJobStore()
        let runner = JobRunner(store: store, limits: .init(simulationWorkers: 1, timeBudget: .seconds(600)))
        let (job, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: input, idempotencyKey: nil, fingerprint: "big"
        ) {
            let result = try EKSNetCore.IPAllocationSimulator.run(input, aws: .embedded)
            try Task.checkCancellation()
            return (result, nil)
        }
        try await waitUntil { await status(store, job.id, .simulation) == .running }
        #expect(try await runner.delete(id: job.id, kind: .simulation, owner: Self.owner))
        // Ends without the 600 s budget: the worker takes the next job.
        let (next, _) = try await runner.submit(
            kind: .simulation, owner: Self.owner, input: "n", idempotencyKey: nil, fingerprint: "2"
        ) { ("ok", nil) }
        let done = await store.wait(id: next.id, kind: .simulation, owner: Self.owner, timeout: .seconds(600))
        #expect(done?.status == .succeeded)
    }
}

import EKSNetCore
