/// The job stores' bounds from the server's configuration, in one place for both stores.
extension AppConfiguration {
    /// Most jobs one caller may have queued or running at once while callers share the store.
    static let unfinishedJobsPerCaller = 32

    /// Whether more than one caller shares the store: with authentication off (everyone is `anonymous`) or a single
    /// credential there is one owner, and a share of the store would only keep it from half of it.
    var jobStoreIsShared: Bool { bearerCredentials.count > 1 }

    /// The memory store's bounds.
    var memoryJobStoreLimits: MemoryJobStore.Limits {
        MemoryJobStore.Limits(
            capacity: maxJobs, maxBytes: maxJobStoreBytes, callerShare: jobStoreIsShared ? jobCallerShare : 1,
            unfinishedPerCaller: jobStoreIsShared ? Self.unfinishedJobsPerCaller : nil,
            simulationWorkers: jobLimits.simulationWorkers, evaluationWorkers: jobLimits.evaluationWorkers)
    }

    /// The PostgreSQL store's settings (the same bounds, kept in the database over every replica).
    var postgresJobStoreSettings: PostgresJobStore.Settings {
        var settings = PostgresJobStore.Settings()
        settings.capacity = maxJobs
        settings.maxBytes = maxJobStoreBytes
        settings.callerShare = jobStoreIsShared ? jobCallerShare : 1
        settings.unfinishedPerCaller = jobStoreIsShared ? Self.unfinishedJobsPerCaller : nil
        settings.retention = jobRetention
        settings.deliveredRetention = deliveredJobRetention
        settings.lease = jobLease
        settings.workers = jobLimits.simulationWorkers + jobLimits.evaluationWorkers
        // Well past what a job may take (its time budget, and a queue of them) before it is called stuck.
        settings.unfinishedLimit = max(.seconds(3600), jobLimits.timeBudget * 10)
        return settings
    }
}
