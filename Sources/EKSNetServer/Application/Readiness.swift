import Synchronization

/// Whether the server should receive traffic: not before it listens, and not once it drains.
public final class Readiness: Sendable {
    /// Where the process is in its life.
    public enum State: String, Sendable {
        case starting, ready, draining
    }

    private let state: Mutex<State>
    /// Why a dependency (the job store's database) cannot serve now; nil when it can.
    private let dependency = Mutex<String?>(nil)

    public init(_ initial: State = .starting) {
        state = Mutex(initial)
    }

    public var current: State { state.withLock { $0 } }

    /// What keeps a dependency from serving, if anything.
    public var dependencyProblem: String? { dependency.withLock { $0 } }

    /// The job store's database became unreachable (a reason) or reachable again (nil).
    public func setDependencyProblem(_ problem: String?) {
        dependency.withLock { $0 = problem }
    }

    /// The listener is up.
    public func markReady() {
        state.withLock { if $0 == .starting { $0 = .ready } }
    }

    /// Shutdown has begun: from now on `/readyz` answers 503.
    public func markDraining() {
        state.withLock { $0 = .draining }
    }
}
