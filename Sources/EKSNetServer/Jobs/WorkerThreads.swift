import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A task executor of its own threads, for the CPU-heavy part of jobs: work that runs here never occupies the
/// event loops or Swift's shared cooperative pool, so health probes and small requests keep answering while
/// simulations run. Jobs wait in a first-in, first-out queue for a free thread.
///
/// The threads run at a lower scheduling priority (nice 10) than the rest of the process: when the CPU is
/// short, request handling wins.
final class WorkerThreads: TaskExecutor, @unchecked Sendable {
    /// How many threads run work at once.
    let count: Int
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var queue: [UnownedJob] = []
    private var head = 0
    private var stopping = false
    private var alive = 0

    init(count: Int, name: String) {
        self.count = max(1, count)
        for index in 0..<self.count {
            let thread = Thread { [self] in
                Self.nameCurrentThread("\(name)-\(index)")
                work()
            }
            condition.lock()
            alive += 1
            condition.unlock()
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once the queue is empty. Work enqueued afterwards still runs while a thread lives;
    /// callers stop submitting first.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Names the OS thread (`top -H`, `/proc`), at most 15 bytes. On Linux Foundation's `Thread.name` can race
    /// with `start()` and leave the OS name unset, so the kernel's own file for it is written instead.
    private static func nameCurrentThread(_ name: String) {
        #if canImport(Glibc)
        if let file = fopen("/proc/thread-self/comm", "w") {
            fputs(String(name.utf8.prefix(15)) ?? name, file)
            fclose(file)
        }
        #endif
        Thread.current.name = name
    }

    private func work() {
        #if canImport(Glibc)
        // On Linux the nice value belongs to each thread, and `who` 0 names the calling one: only this worker
        // is lowered (setpriority(2), NOTES).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while head == queue.count && !stopping { condition.wait() }
            if head == queue.count {
                alive -= 1
                condition.unlock()
                return
            }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
