import Hummingbird

/// `GET /metrics`: Prometheus text format.
struct MetricsController: Sendable {
    let runner: JobRunner
    let capacity: Int

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.get("/metrics") { _, _ in
            Telemetry.refresh(jobs: await runner.store.counts(), queued: await runner.queued(), capacity: capacity)
            if let memory = runner.store as? MemoryJobStore { Telemetry.setJobStoreBytes(await memory.storedBytes) }
            var bytes: [UInt8] = []
            Telemetry.registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return routes
    }
}
