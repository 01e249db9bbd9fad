import Foundation
import FoundationXML
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// Pictures of finished jobs and layouts (issue 14 §2): asked for with `Accept`, well-formed, accessible.
@Suite struct PicturesRoutesTests {
    static func example(_ name: String) throws -> ByteBuffer {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/\(name)")
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }

    /// Parses the document as XML and returns its element names (a parse failure fails the test).
    static func elements(_ text: String) throws -> [String] {
        final class Collector: NSObject, XMLParserDelegate {
            var names: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                names.append(name)
            }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "") \(text.prefix(200))")
        return collector.names
    }

    static let prefer = HTTPField.Name("Prefer")!

    func submit(_ client: some TestClientProtocol, _ path: String, _ body: ByteBuffer) async throws -> String {
        let answer = try await client.execute(
            uri: path, method: .post, headers: [.contentType: "application/json", Self.prefer: "wait=60"], body: body)
        let object = try TestSupport.object(answer)
        #expect(object["status"] as? String == "succeeded", "\(object)")
        return try #require(answer.headers[.location])
    }

    @Test func aPlanIsAnAddressMapOrAReportPage() async throws {
        try await TestSupport.withRouter { client in
            let location = try await submit(client, "/v1/plans", try Self.example("eksctl-3az.json"))
            let svg = try await client.execute(uri: location, method: .get, headers: [.accept: "image/svg+xml"])
            #expect(svg.status == .ok && svg.headers[.contentType] == "image/svg+xml")
            #expect(svg.headers[.vary]?.contains("Accept") == true)
            let names = try Self.elements(String(buffer: svg.body))
            #expect(names.first == "svg" && names.contains("title") && names.contains("desc") && names.contains("rect"))
            #expect(String(buffer: svg.body).contains("Legend"))
            // A browser's Accept gets the report page; curl's gets JSON.
            let page = try await client.execute(
                uri: location, method: .get, headers: [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.hasPrefix("<!DOCTYPE html>") && !html.contains("<script") && !html.contains("src=\"http"))
            // The page minus its doctype is well-formed XML too (void elements written as self-closing or absent).
            _ = try Self.elements(String(html.dropFirst("<!DOCTYPE html>".count)).replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>"))
            let json = try await client.execute(uri: location, method: .get, headers: [.accept: "*/*"])
            #expect(json.headers[.contentType] == "application/json")
        }
    }

    @Test func aSimulationIsATimelineAndARemediationIsJSONOnly() async throws {
        try await TestSupport.withRouter { client in
            let location = try await submit(client, "/v1/simulations", try Self.example("simulation.json"))
            let svg = try await client.execute(uri: location, method: .get, headers: [.accept: "image/svg+xml"])
            #expect(svg.status == .ok)
            let text = String(buffer: svg.body)
            #expect(try Self.elements(text).contains("polyline"))
            #expect(text.contains("first exhaustion at") && text.contains("time (seconds)") && text.contains("pods waiting"))
            let html = try await client.execute(uri: location, method: .get, headers: [.accept: "text/html"])
            #expect(html.status == .notAcceptable)
            let remediation = try await submit(client, "/v1/remediations", try Self.example("exhausted.json"))
            #expect(try await client.execute(uri: remediation, method: .get, headers: [.accept: "image/svg+xml"]).status == .notAcceptable)
        }
    }

    @Test func aLayoutIsDrawnWhenAsked() async throws {
        try await TestSupport.withRouter { client in
            let answer = try await client.execute(
                uri: "/v1/layouts", method: .post, headers: [.contentType: "application/json", .accept: "image/svg+xml"],
                body: try Self.example("workload.json"))
            #expect(answer.status == .ok && answer.headers[.contentType] == "image/svg+xml")
            #expect(try Self.elements(String(buffer: answer.body)).contains("rect"))
        }
    }
}
