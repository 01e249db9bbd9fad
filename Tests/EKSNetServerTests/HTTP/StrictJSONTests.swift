import EKSNetJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// Every POST route reads JSON as RFC 8259 defines it and refuses a member given twice, whichever decoder reads
/// the body afterwards (issue 9, defect 7; issue 10's two divergences of the fast capacity reader).
@Suite struct StrictJSONTests {
    static let postRoutes = [
        "/v1/capacity", "/v1/plans", "/v1/subnet-tags", "/v1/layouts", "/v1/audits", "/v1/simulations",
        "/v1/remediations",
    ]

    /// The list above is every POST route the router serves, so a route added later cannot miss these tests.
    @Test func theListIsEveryPostRoute() {
        let configuration = TestSupport.configuration()
        let router = buildRouter(
            configuration, readiness: Readiness(), runner: makeRunner(configuration, store: makeJobStore(configuration)))
        let served = router.routes.filter { $0.method == .post }.map { $0.path.description }
        #expect(Set(served) == Set(Self.postRoutes))
    }

    /// Bodies that are not JSON, and what the problem must say.
    static let notJSON: [(body: String, says: String)] = [
        (#"{"a":01}"#, "leading zero"),
        (#"{"a":-0012}"#, "leading zero"),
        (#"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":01,"maxSize":007}]}"#, "leading zero"),
        (#"{"a":[1,2,]}"#, "trailing comma"),
        (#"{"a":1,}"#, "trailing comma"),
        (#"{"a":NaN}"#, "unexpected character"),
        (#"{"a":Infinity}"#, "unexpected character"),
        (#"{"a":1.}"#, "digit after '.'"),
        (#"{"a":.5}"#, "unexpected character"),
        (#"{"a":1e}"#, "exponent"),
        (#"{"a":+1}"#, "unexpected character"),
        (#"{"a":"\x"}"#, "not a JSON escape"),
        (#"{"a":"\u12"}"#, "four hex digits"),
        // Found by the fuzzer: Foundation refuses half a surrogate pair, so the strict reader does too.
        (#"{"a":"\ud82e"}"#, "surrogate pair"),
        (#"{"a":"\udc00x"}"#, "surrogate pair"),
        (#"{"a":"\ud83d\u0041"}"#, "surrogate pair"),
        (#"{'a':1}"#, "double quotes"),
        (#"{"a":1} {"b":2}"#, "after the JSON value"),
    ]

    @Test(arguments: postRoutes)
    func invalidJSONIsA400OnEveryRoute(_ route: String) async throws {
        try await TestSupport.withRouter { client in
            for sample in Self.notJSON {
                let problem = try expectProblem(try await client.post(route, raw: sample.body), .badRequest)
                let detail = problem["detail"] as? String ?? ""
                #expect(detail.contains(sample.says), "\(route) \(sample.body): \(detail)")
            }
        }
    }

    /// Found by the fuzzer: past a Double's range Foundation refuses a number, so the strict reader does too, on
    /// every route alike, as a 422 naming the field (as the capacity route always did for 1e309).
    @Test(arguments: postRoutes)
    func aNumberPastADoublesRangeIsA422NamingItOnEveryRoute(_ route: String) async throws {
        try await TestSupport.withRouter { client in
            for body in [#"{"a":7e5755}"#, "{\"a\":1" + String(repeating: "0", count: 400) + "}", #"{"a":[-1e309]}"#] {
                let problem = try expectProblem(try await client.post(route, raw: body), .unprocessableContent)
                #expect(issueLocations(problem).first?.hasPrefix("/a") == true, "\(route) \(body)")
            }
        }
    }

    /// A member name given twice, also when one spelling uses an escape: never one value picked silently.
    static let duplicates: [(body: String, pointer: String, key: String)] = [
        (#"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3,"maxSize":5}]}"#,
         "/nodeGroups/0/maxSize", "maxSize"),
        (#"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3,"max\u0053ize":5}]}"#,
         "/nodeGroups/0/maxSize", "maxSize"),
        (#"{"a":1,"a":1}"#, "/a", "a"),
        (#"{"x":{"a/b":1,"a\/b":2}}"#, "/x/a~1b", "a/b"),
    ]

    @Test(arguments: postRoutes)
    func aDuplicateMemberIsA400NamingItOnEveryRoute(_ route: String) async throws {
        try await TestSupport.withRouter { client in
            for sample in Self.duplicates {
                let problem = try expectProblem(try await client.post(route, raw: sample.body), .badRequest)
                #expect(issueLocations(problem) == [sample.pointer], "\(route) \(sample.body)")
                #expect((problem["detail"] as? String ?? "").contains("'\(sample.key)' appears twice"))
            }
        }
    }

    /// 1.0 and 1e2 are JSON numbers: an integer field takes a whole one the same way on every path.
    @Test func wholeNumbersInOtherSpellingsDecideAlikeOnEveryPath() async throws {
        try await TestSupport.withRouter { client in
            func capacity(_ maxSize: String) async throws -> TestResponse {
                try await client.post(
                    "/v1/capacity",
                    raw: #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":"#
                        + maxSize + "}]}")
            }
            let plain = try await capacity("300")
            #expect(plain.status == .ok)
            for spelling in ["300.0", "3e2", "3E+2", "30000e-2"] {
                let other = try await capacity(spelling)
                #expect(other.status == plain.status, "\(spelling)")
                #expect(other.body == plain.body, "\(spelling)")
            }
            // A fraction is not a node count, on the fast and the slow path alike.
            let fraction = try expectProblem(try await capacity("2.5"), .unprocessableContent)
            #expect(issueLocations(fraction) == ["/nodeGroups/0/maxSize"])
        }
    }

    @Test func validBodiesStillPass() {
        for body in [#"{"a":[1,-0,0.5,1e-3,-2E+10,true,false,null,"\u00e9\ud83d\ude00\/\n"]}"#, "[]", #""s""#, " 7 ", #"{"\ud83d\ude00":1}"#] {
            #expect(JSONDiagnosis.validate(Array(body.utf8)) == .none, "\(body)")
        }
    }
}
