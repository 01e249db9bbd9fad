import Foundation
import Metrics
import Prometheus

/// The process's Prometheus registry, wired into swift-metrics once (MetricsSystem is process-wide), so that the
/// executable and every in-process test application share it.
enum Telemetry {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = requestBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static let startTime = Date()

    /// Buckets for request durations: 100 µs to a minute.
    static let requestBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    /// Buckets for job durations: 1 ms to the longest time budget allowed.
    static let jobBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        .seconds(300), .seconds(900), .seconds(3600), .seconds(86_400),
    ]

    /// Every family eksnet exposes, named by the exposition format's conventions (counters `_total`, durations
    /// `_seconds`, sizes `_bytes`) and each with its `# HELP`: the one place metric names are written.
    enum Family {
        static func named(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "eksnet", metricName: name, unitName: unit, helpText: help)
        }
        static var requests: MetricNameDescriptor { named("http_requests", "total", "HTTP requests answered, by method, route and status.") }
        static var requestErrors: MetricNameDescriptor { named(
            "http_request_errors", "total",
            "HTTP requests answered with a status of 400 or more (problem responses), by method, route and status.") }
        static var requestDuration: MetricNameDescriptor { named("http_request_duration", "seconds", "Time to answer an HTTP request, by method and route.") }
        static var requestsInFlight: MetricNameDescriptor { named("http_requests_in_flight", "", "HTTP requests being answered now.") }
        static var unauthorized: MetricNameDescriptor { named("unauthorized_requests", "total", "Requests to /v1 refused for a missing or wrong bearer token.") }
        static var authenticated: MetricNameDescriptor { named("authenticated_requests", "total", "Requests to /v1 with a valid bearer token, by caller name.") }
        static var buildInfo: MetricNameDescriptor { named(
            "build_info", "", "The running release and the instance-type catalog it answers from, as labels; always 1.") }
        static var jobs: MetricNameDescriptor { named("jobs", "", "Jobs held in the store, by kind and status.") }
        static var jobDuration: MetricNameDescriptor { named(
            "job_duration", "seconds", "Time a job ran, from start to its result, by kind and outcome (succeeded, failed).") }
        static var jobStoreSize: MetricNameDescriptor { named("job_store_size", "", "Jobs held in the store, every kind and status.") }
        static var jobStoreCapacity: MetricNameDescriptor { named("job_store_capacity", "", "Most jobs the store holds (--max-jobs).") }
        static var jobsWaiting: MetricNameDescriptor { named("jobs_waiting_for_a_worker", "", "Jobs queued for a worker thread, by lane.") }
        static var jobStoreBytes: MetricNameDescriptor { named("job_store", "bytes", "Bytes of encoded inputs and results the memory job store holds.") }
        static var leaseTakeovers: MetricNameDescriptor { named(
            "job_lease_takeovers", "total", "Jobs this replica took over after their replica stopped renewing the lease, by kind.") }
        static var storeErrors: MetricNameDescriptor { named("job_store_errors", "total", "Job store operations that failed (the database unreachable or refusing), by operation.") }
        static var databaseConnectionsInUse: MetricNameDescriptor { named(
            "database_connections_in_use", "", "Connections of the PostgreSQL pool leased by job store operations now.") }
        static func process(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "process", metricName: name, unitName: unit, helpText: help)
        }
        static var residentMemory: MetricNameDescriptor { process("resident_memory", "bytes", "Resident memory size.") }
        static var virtualMemory: MetricNameDescriptor { process("virtual_memory", "bytes", "Virtual memory size.") }
        static var cpu: MetricNameDescriptor { process("cpu", "seconds_total", "User and system CPU time spent.") }
        static var openFDs: MetricNameDescriptor { process("open_fds", "", "Open file descriptors.") }
        static var startTime: MetricNameDescriptor { process("start_time", "seconds", "Start time of the process since the Unix epoch.") }
    }

    /// CPU seconds already added to the counter (it can only be incremented).
    nonisolated(unsafe) private static var countedCPUSeconds = 0.0
    private static let cpuLock = NSLock()

    /// A job's run, for the duration histogram.
    static func recordJob(kind: JobKind, succeeded: Bool, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Family.jobDuration,
            labels: [("kind", kind.rawValue), ("outcome", succeeded ? "succeeded" : "failed")], buckets: jobBuckets
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// `eksnet_build_info{version, catalog} 1`: which release and which figures answer, for dashboards and alerts
    /// that compare replicas.
    static func recordBuildInfo(version: String, catalog: String) {
        registry.makeGauge(descriptor: Family.buildInfo, labels: [("version", version), ("catalog", catalog)]).set(1.0)
    }

    static func recordLeaseTakeover(kind: JobKind) {
        registry.makeCounter(descriptor: Family.leaseTakeovers, labels: [("kind", kind.rawValue)]).increment()
    }

    static func recordStoreError(operation: String) {
        registry.makeCounter(descriptor: Family.storeErrors, labels: [("operation", operation)]).increment()
    }

    static func setDatabaseConnectionsInUse(_ count: Int) {
        registry.makeGauge(descriptor: Family.databaseConnectionsInUse).set(Double(count))
    }

    static func setJobStoreBytes(_ bytes: Int) {
        registry.makeGauge(descriptor: Family.jobStoreBytes).set(Double(bytes))
    }

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
                registry.makeGauge(descriptor: Family.jobs, labels: [("kind", kind.rawValue), ("status", status.rawValue)])
                    .set(Double(count))
            }
        }
        registry.makeGauge(descriptor: Family.jobStoreSize).set(Double(total))
        registry.makeGauge(descriptor: Family.jobStoreCapacity).set(Double(capacity))
        registry.makeGauge(descriptor: Family.jobsWaiting, labels: [("lane", "simulation")]).set(Double(queued.simulations))
        registry.makeGauge(descriptor: Family.jobsWaiting, labels: [("lane", "evaluation")]).set(Double(queued.evaluations))
        let process = ProcessFigures.read()
        registry.makeGauge(descriptor: Family.residentMemory).set(Double(process.residentBytes))
        registry.makeGauge(descriptor: Family.virtualMemory).set(Double(process.virtualBytes))
        cpuLock.withLock {
            let more = process.cpuSeconds - countedCPUSeconds
            if more > 0 {
                registry.makeCounter(descriptor: Family.cpu).increment(by: more)
                countedCPUSeconds = process.cpuSeconds
            }
        }
        registry.makeGauge(descriptor: Family.openFDs).set(Double(process.openFileDescriptors))
        registry.makeGauge(descriptor: Family.startTime).set(startTime.timeIntervalSince1970)
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
