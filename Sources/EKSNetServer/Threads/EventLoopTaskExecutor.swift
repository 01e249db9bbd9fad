import NIOCore

/// A task executor that runs every job on one event loop's thread. The probe listener's tasks prefer it
/// (`withTaskExecutorPreference`): its connections are read, handled and answered on a thread that no API handler
/// ever runs on, so a flood of CPU-heavy requests on the API port cannot delay `/healthz` behind them.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
