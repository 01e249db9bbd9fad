import HTTPTypes
import Hummingbird
import Testing

@testable import EKSNetServer

/// Issue 28, item 1: large bodies and pictures run on threads of their own, at most so many at once; past that a
/// request is refused at once rather than queued without end.
@Suite struct InlineWorkPoolTests {
    @Test func pastTheAdmissionLimitARequestGets503AtOnce() async throws {
        let pool = InlineWorkPool(threads: 1, admissionLimit: 2)
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await pool.run {
                        startedContinuation.yield()
                        for await _ in release { break }
                    }
                }
            }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            _ = await iterator.next()
            #expect(pool.inFlight == 2)
            do {
                try await pool.run { Issue.record("a third request ran past the limit") } as Void
                Issue.record("a third request was admitted")
            } catch let problem as Problem {
                #expect(problem.status == .serviceUnavailable)
                #expect(problem.headers[.retryAfter] == "1")
            }
            releaseContinuation.yield()
            releaseContinuation.yield()
            releaseContinuation.finish()
            try await group.waitForAll()
        }
        #expect(pool.inFlight == 0)
        #expect(try await pool.run { 42 } == 42)
    }

    @Test(arguments: [
        (method: HTTPRequest.Method.post, headers: [HTTPField.Name.contentLength: "20000"], heavy: true),
        (method: .post, headers: [.contentLength: "2000"], heavy: false),
        (method: .post, headers: [.transferEncoding: "chunked"], heavy: true),
        (method: .get, headers: [.accept: "image/svg+xml"], heavy: true),
        (method: .get, headers: [.accept: "application/json"], heavy: false),
        (method: .get, headers: [:], heavy: false),
    ])
    func whichRequestsAreHeavy(_ sample: (method: HTTPRequest.Method, headers: [HTTPField.Name: String], heavy: Bool)) {
        var fields = HTTPFields()
        for (name, value) in sample.headers { fields[name] = value }
        let head = HTTPRequest(method: sample.method, scheme: "http", authority: "x", path: "/v1/plans", headerFields: fields)
        let request = Request(head: head, body: .init(buffer: .init()))
        #expect(HeavyRequestMiddleware.isHeavy(request) == sample.heavy)
    }
}
