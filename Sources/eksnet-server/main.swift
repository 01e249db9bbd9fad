import EKSNetServer
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The eksnet HTTP service. Every flag and environment variable is declared once, in `ServerSettings`; this reads
/// them, sets up logging and serves until SIGTERM.
@main
enum EKSNetServerMain {
    static func main() async {
        let start: ServerStart
        do {
            switch try ServerStart.read(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment) {
            case .help(let text):
                print(text)
                return
            case .version(let text):
                print(text)
                return
            case .run(let read):
                start = read
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.description)\nSee 'eksnet-server --help'.\n".utf8))
            exit(64)
        }
        var configuration = start.configuration
        let level = configuration.logLevel
        if start.logFormat == "json" {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
        // Route handlers run on the event loop that read the request instead of hopping to Swift's own pool and
        // back: POST /v1/capacity answers ~1.5× the requests per second on one core (scripts/benchmark). CPU-heavy
        // jobs keep their own threads (JobRunner's lanes), so nothing long runs on an event loop — and nothing may
        // block one (no `EventLoopFuture.wait()`, no blocking I/O in a handler): every task now runs on the loops.
        // A static Swift standard library hides the hook this needs; the Dockerfile links the runtime dynamically.
        let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        if !onEventLoops {
            Logger(label: "eksnet").notice("Swift concurrency keeps its own thread pool: this runtime does not let NIO take it over")
        }
        configuration.concurrencyOnEventLoops = onEventLoops
        configuration.maxConnections = OpenFileLimit.connectionsThatFit(configuration.maxConnections, logger: Logger(label: "eksnet"))
        do {
            try await runServer(configuration)
        } catch let failure as ListenerBindFailure {
            Logger(label: "eksnet").critical("cannot start: \(failure.description)")
            FileHandle.standardError.write(Data("Error: \(failure.description)\n".utf8))
            exit(1)
        } catch {
            Logger(label: "eksnet").critical("the server stopped", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}

/// Connections are file descriptors: the connection limit must stay below the open-file limit, with room for the
/// probe listener, its connections and the process's own files, or at the limit every accept fails (the probe
/// port's included) instead of the API port simply waiting.
enum OpenFileLimit {
    /// Descriptors kept back from API connections.
    static let reserve: rlim_t = 128

    /// Raises the soft open-file limit as far as the hard limit allows when `wanted` needs it, and returns the
    /// connection limit that fits (lowered, with a warning, when even the hard limit is too small).
    static func connectionsThatFit(_ wanted: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return wanted }
        let needed = rlim_t(wanted) + reserve
        if limit.rlim_cur < needed {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        guard limit.rlim_cur < needed else { return wanted }
        let fitting = max(1, Int(limit.rlim_cur > reserve ? limit.rlim_cur - reserve : 1))
        logger.warning(
            "the open-file limit is too low for --max-connections; using a lower connection limit",
            metadata: ["open-file-limit": "\(limit.rlim_cur)", "max-connections": "\(wanted)", "using": "\(fitting)"])
        return fitting
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
