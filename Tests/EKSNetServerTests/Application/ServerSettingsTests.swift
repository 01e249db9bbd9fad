import Foundation
import NIOCore
import Testing

@testable import EKSNetServer

/// Every setting is one declaration (`ServerSettings`): the flag, the variable, the check, `--help` and the table in
/// docs/operations.md are made from it, and the defaults the stores and the request context use are its defaults.
@Suite struct ServerSettingsTests {
    func run(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ServerStart {
        guard case .run(let start) = try ServerStart.read(arguments: arguments, environment: environment) else {
            throw Unexpected()
        }
        return start
    }

    func refusal(_ arguments: [String], _ environment: [String: String] = [:]) -> String? {
        do {
            _ = try ServerStart.read(arguments: arguments, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    struct Unexpected: Error {}

    @Test func withNothingGivenEverySettingTakesItsDeclaredDefault() throws {
        let configuration = try run([]).configuration
        #expect(configuration.hostname == "0.0.0.0")
        #expect(configuration.port == 8080)
        #expect(configuration.probePort == 8081)
        #expect(configuration.maxJobStoreBytes == 128 << 20)
        #expect(configuration.maxWaitSeconds == 60)
        #expect(configuration.jobLimits.simulationWorkers == JobRunner.Limits.simulationWorkers(forCores: System.coreCount))
        #expect(try run([]).logFormat == "text")
        // The stores' own defaults are the declarations' (the memory store's bound once said 256 MiB here).
        #expect(MemoryJobStore.Limits().maxBytes == ServerSettings.maxJobStoreBytes.default.bytes)
        #expect(MemoryJobStore.Limits().capacity == ServerSettings.maxJobs.default)
        #expect(PostgresJobStore.Settings().maxBytes == ServerSettings.maxJobStoreBytes.default.bytes)
    }

    @Test func flagsWinOverVariablesInEitherSpelling() throws {
        let environment = ["EKSNET_MAX_JOBS": "50", "EKSNET_LOG_FORMAT": "json", "EKSNET_PROBE_PORT": "off"]
        #expect(try run([], environment).configuration.maxJobs == 50)
        #expect(try run([], environment).configuration.probePort == nil)
        #expect(try run(["--max-jobs", "70"], environment).configuration.maxJobs == 70)
        #expect(try run(["--max-jobs=80"], environment).configuration.maxJobs == 80)
        #expect(try run(["--max-jobs=80", "--max-jobs", "90"], environment).configuration.maxJobs == 90)
        #expect(try run(["--log-format", "text"], environment).logFormat == "text")
        #expect(try run(["--max-body-size", "2MiB", "--max-buffered-body-bytes", "4MiB"]).configuration.maxRequestBodyBytes == 2 << 20)
        #expect(try run(["--drain-delay", "0.5"]).configuration.drainDelay == .milliseconds(500))
        #expect(try run(["--job-store", "PostgreSQL", "--database-url", "postgres://u:p@h/db"]).configuration.jobStore.isPostgres)
    }

    @Test func repeatedFlagsAddAndReplaceTheVariablesList() throws {
        let environment = ["EKSNET_CORS_ORIGINS": "https://a.example, https://b.example"]
        #expect(try run([], environment).configuration.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(try run(["--cors-origin", "https://c.example", "--cors-origin=https://d.example"], environment).configuration.corsOrigins
            == ["https://c.example", "https://d.example"])
    }

    @Test func everyRefusalNamesTheFlagOrVariable() {
        #expect(refusal(["--nonsense"]) == "Unknown option '--nonsense'")
        #expect(refusal(["--port"]) == "Missing value for '--port <port>'")
        #expect(refusal(["stray"]) == "Unexpected argument 'stray'")
        #expect(refusal(["--max-wait", "0"]) == "--max-wait (EKSNET_MAX_WAIT) must be 1–600 seconds")
        #expect(refusal(["--max-jobs", "x"]) == "The value 'x' is invalid for '--max-jobs <n>': expected a whole number")
        #expect(refusal([], ["EKSNET_MAX_JOBS": "x"]) == "EKSNET_MAX_JOBS='x' is not valid: expected a whole number")
        // A broken variable is refused even when a flag overrides it.
        #expect(refusal(["--max-jobs", "5"], ["EKSNET_MAX_JOBS": "x"]) == "EKSNET_MAX_JOBS='x' is not valid: expected a whole number")
        #expect(refusal(["--max-job-store-bytes", "128GiB"]) == "--max-job-store-bytes (EKSNET_MAX_JOB_STORE_BYTES) must be between 1MiB and 64GiB")
        #expect(refusal(["--job-retention", "604801"]) == "--job-retention (EKSNET_JOB_RETENTION) must be 1–604,800 seconds (7 days)")
        #expect(refusal(["--max-body-size", "2MiB", "--max-buffered-body-bytes", "1MiB"])?.contains("at least --max-body-size") == true)
        #expect(refusal(["--port", "9000", "--probe-port", "9000"]) == "--probe-port must differ from --port")
        #expect(refusal([], ["EKSNET_AUTH_TOKEN_FILE": ""]) == "--auth-token-file (EKSNET_AUTH_TOKEN_FILE) is set but empty: name the token file")
        #expect(refusal(["--job-store", "postgres"])?.contains("needs --database-url-file or --database-url") == true)
    }

    /// Each declaration refuses text of the wrong form through its flag and through its variable, naming either.
    @Test func everyDeclarationChecksItsValue() throws {
        for setting in ServerSettings.all {
            var start = try run([])
            guard setting.apply("!not a value!", &start) != nil else { continue }
            if let flag = setting.flag {
                #expect(refusal(["--\(flag)", "!not a value!"])?.contains("--\(flag)") == true, "\(flag)")
            }
            #expect(refusal([], [setting.environment: "!not a value!"])?.contains(setting.environment) == true, "\(setting.environment)")
        }
    }

    @Test func flagsAndVariablesAreUniqueAndHelpListsEveryOne() {
        let flags = ServerSettings.all.compactMap(\.flag)
        let variables = ServerSettings.all.map(\.environment)
        #expect(Set(flags).count == flags.count)
        #expect(Set(variables).count == variables.count)
        #expect(variables.allSatisfy { $0.hasPrefix("EKSNET_") })
        let help = ServerStart.helpText
        for setting in ServerSettings.all {
            #expect(help.contains(setting.environment))
            if let flag = setting.flag { #expect(help.contains("--\(flag) <")) }
        }
        guard case .help(let text)? = try? ServerStart.read(arguments: ["--port", "1", "--help"], environment: [:]) else {
            Issue.record("--help was not answered with the help")
            return
        }
        #expect(text == help)
    }

    /// docs/operations.md holds the table made from the declarations; on a difference this prints the table to paste.
    @Test func theDocsTableIsTheDeclarations() throws {
        let page = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/operations.md"),
            encoding: .utf8)
        let begin = "<!-- settings table: made from ServerSettings; ServerSettingsTests checks it -->\n"
        let end = "\n<!-- end of settings table -->"
        let table = try #require(page.components(separatedBy: begin).dropFirst().first?.components(separatedBy: end).first)
        #expect(table == ServerStart.markdownTable, "paste into docs/operations.md:\n\(ServerStart.markdownTable)")
    }
}

extension AppConfiguration.JobStoreKind {
    var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}
