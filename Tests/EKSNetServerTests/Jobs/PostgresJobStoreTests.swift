import Foundation
import HTTPTypes
import NIOCore
import Logging
import PostgresNIO
import Testing

@testable import EKSNetServer

/// A real PostgreSQL server for the store tests: `scripts/with-postgres` (run by `scripts/test`) starts one on
/// loopback and exports its URL. Without it these tests are skipped, unless `EKSNET_REQUIRE_POSTGRES` is set (as
/// `scripts/test` sets it), when their absence fails the run.
enum TestDatabase {
    static let url: DatabaseURL? = ProcessInfo.processInfo.environment["EKSNET_TEST_DATABASE_URL"].flatMap { try? DatabaseURL(parsing: $0) }
    static var available: Bool { url != nil }
    static let logger = Logger(label: "eksnet.test.postgres")

    /// A database of its own for one test, dropped afterwards.
    static func withDatabase<T>(_ body: (DatabaseURL) async throws -> T) async throws -> T {
        let admin = try #require(url)
        let name = "eksnet_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await administer(admin, "CREATE DATABASE \(name)")
        var own = admin
        own.database = name
        do {
            let value = try await body(own)
            try await administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
            return value
        } catch {
            try? await administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    static func administer(_ url: DatabaseURL, _ sql: String) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable),
            id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// Rows of a query, as integers (counting in the database, not through the store).
    static func count(_ url: DatabaseURL, _ sql: String) async throws -> Int {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable),
            id: 2, logger: logger)
        defer { Task { try? await connection.close() } }
        var value = 0
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) { value = count }
        return value
    }

    /// A running store on its own database, migrated.
    static func store(
        _ url: DatabaseURL, settings: PostgresJobStore.Settings = .init(), now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> (store: PostgresJobStore, stop: @Sendable () async -> Void) {
        let store = PostgresJobStore(url: url, settings: settings, logger: logger, now: now)
        let running = Task { try await store.run() }
        try await store.waitUntilMigrated()
        return (store, {
            running.cancel()
            _ = try? await running.value
        })
    }
}

@Suite struct PostgresJobStoreTests {
    @Test func theDatabaseIsThereWhenRequired() {
        if ProcessInfo.processInfo.environment["EKSNET_REQUIRE_POSTGRES"] != nil {
            #expect(TestDatabase.available, "EKSNET_REQUIRE_POSTGRES is set but EKSNET_TEST_DATABASE_URL names no usable database")
        }
    }

    static let make: JobStoreConformance.MakeStore = { settings, clock in
        let admin = try #require(TestDatabase.url)
        let name = "eksnet_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await TestDatabase.administer(admin, "CREATE DATABASE \(name)")
        var own = admin
        own.database = name
        var storeSettings = PostgresJobStore.Settings()
        storeSettings.capacity = settings.capacity
        storeSettings.callerShare = settings.callerShare
        storeSettings.retention = settings.retention
        storeSettings.deliveredRetention = settings.deliveredRetention
        storeSettings.maxBytes = settings.maxBytes
        storeSettings.reservedResultBytes = settings.reservedResultBytes
        storeSettings.unfinishedPerCaller = settings.unfinishedPerCaller
        let (store, stop) = try await TestDatabase.store(own, settings: storeSettings, now: { clock.now })
        return (store, {
            await stop()
            try? await TestDatabase.administer(admin, "DROP DATABASE \(name) WITH (FORCE)")
        })
    }

    @Test(.enabled(if: TestDatabase.available), arguments: JobStoreConformance.cases)
    func conforms(_ conformanceCase: JobStoreConformance.Case) async throws {
        try await conformanceCase.run(with: Self.make)
    }
}

/// `/readyz` tells the truth about the database; `/healthz` never asks it (issue 12 §6). No database is needed:
/// the store points at a loopback port nothing listens on.
@Suite struct PostgresReadinessTests {
    @Test func readinessSaysWhyWhileTheDatabaseIsUnreachable() async throws {
        let url = try DatabaseURL(parsing: "postgres://eksnet:s3cret-never-shown@127.0.0.1:1/eksnet?sslmode=disable")
        let readiness = Readiness(.ready)
        let store = PostgresJobStore(url: url, readiness: readiness, logger: TestDatabase.logger)
        let running = Task { try await store.run() }
        defer { running.cancel() }
        // The first failed migration sets the reason; until then "applying the schema migrations" does.
        var problem = readiness.dependencyProblem
        for _ in 0..<6_000 where problem?.contains("cannot be reached") != true {
            try await Task.sleep(for: .milliseconds(10))
            problem = readiness.dependencyProblem
        }
        #expect(problem?.contains("cannot be reached") == true, "\(problem ?? "nil")")
        #expect(problem?.contains("s3cret") == false)
        let app = buildApplication(TestSupport.configuration(), readiness: readiness, jobStore: store)
        try await app.test(.router) { client in
            #expect(try await client.get("/healthz").status == .ok)
            let ready = try await client.get("/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect((try TestSupport.object(ready)["detail"] as? String)?.contains("job store is unavailable") == true)
            // A submission while the database is away is a 503 with Retry-After once the operation times out: not a
            // 500, and not a request that hangs.
            let plan = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/eksctl-3az.json")
            let submitted = try await client.execute(
                uri: "/v1/plans", method: .post, headers: TestSupport.jsonHeaders, body: ByteBuffer(bytes: try Data(contentsOf: plan)))
            #expect(submitted.status == .serviceUnavailable)
            #expect(submitted.headers[HTTPField.Name("Retry-After")!] == "5")
            #expect((try TestSupport.object(submitted)["detail"] as? String)?.contains("s3cret") == false)
        }
    }
}
