import Foundation
import Metrics
import Prometheus

/// The process's Prometheus registry, wired into swift-metrics once (MetricsSystem is process-wide), so that the
/// executable and every in-process test application share it.
enum Telemetry {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static let startTime = Date()

    /// Sets the gauges read at scrape time: jobs by kind and status, jobs waiting for a worker, store size, and
    /// process figures from /proc.
    static func refresh(
        jobs: [JobKind: [JobStatus: Int]], queued: (simulations: Int, evaluations: Int), capacity: Int
    ) {
        var total = 0
        for kind in JobKind.allCases {
            for status in JobStatus.allCases {
                let count = jobs[kind]?[status] ?? 0
                total += count
                registry.makeGauge(
                    name: "eksnet_jobs", labels: [("kind", kind.rawValue), ("status", status.rawValue)]
                ).set(Double(count))
            }
        }
        registry.makeGauge(name: "eksnet_job_store_size").set(Double(total))
        registry.makeGauge(name: "eksnet_job_store_capacity").set(Double(capacity))
        registry.makeGauge(name: "eksnet_jobs_waiting_for_a_worker", labels: [("lane", "simulation")])
            .set(Double(queued.simulations))
        registry.makeGauge(name: "eksnet_jobs_waiting_for_a_worker", labels: [("lane", "evaluation")])
            .set(Double(queued.evaluations))
        let process = ProcessFigures.read()
        registry.makeGauge(name: "process_resident_memory_bytes").set(Double(process.residentBytes))
        registry.makeGauge(name: "process_virtual_memory_bytes").set(Double(process.virtualBytes))
        registry.makeGauge(name: "process_cpu_seconds_total").set(process.cpuSeconds)
        registry.makeGauge(name: "process_open_fds").set(Double(process.openFileDescriptors))
        registry.makeGauge(name: "process_start_time_seconds").set(startTime.timeIntervalSince1970)
    }
}

/// Process figures from Linux's /proc (zero where unavailable).
struct ProcessFigures {
    var residentBytes = 0
    var virtualBytes = 0
    var cpuSeconds = 0.0
    var openFileDescriptors = 0

    static func read() -> ProcessFigures {
        var figures = ProcessFigures()
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ").compactMap { Int($0) }
            if fields.count >= 2 {
                figures.virtualBytes = fields[0] * pageSize
                figures.residentBytes = fields[1] * pageSize
            }
        }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]), ticks > 0 {
                figures.cpuSeconds = (user + system) / ticks
            }
        }
        figures.openFileDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return figures
    }
}
