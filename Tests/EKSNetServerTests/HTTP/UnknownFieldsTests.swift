import EKSNetCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

/// A member no field reads is reported, never refused: a `Warning: 299` header on every POST (as the Kubernetes
/// API server warns), and for plans and audits an INP-001 finding with the pointer and the closest field.
@Suite struct UnknownFieldsTests {
    static let warning = HTTPField.Name("Warning")!
    static let waitHeaders: HTTPFields = [.contentType: "application/json", HTTPField.Name("Prefer")!: "wait=60"]

    @Test func capacityAnswersWithAWarningHeaderNamingTheField() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.post(
                "/v1/capacity",
                raw: #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3,"maxPod":110}]}"#)
            #expect(response.status == .ok)
            #expect(
                response.headers[values: Self.warning]
                    == [#"299 - "unknown field /nodeGroups/0/maxPod (did you mean maxPods?)""#])
            // Known fields only: no warning.
            let clean = try await client.post(
                "/v1/capacity", raw: #"{"nodeGroups":[{"name":"a","instanceTypes":["m5.large"],"minSize":1,"maxSize":3}]}"#)
            #expect(clean.headers[values: Self.warning].isEmpty)
        }
    }

    @Test func aMisspelledDNSAttributeIsAFindingNotASilentPass() async throws {
        var plan = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/eksctl-3az.json")))
            as! [String: Any]
        var vpc = plan["vpc"] as! [String: Any]
        vpc.removeValue(forKey: "enableDnsHostnames")
        vpc["enableDnsHostname"] = true
        plan["vpc"] = vpc
        let body = TestSupport.json(plan)
        try await TestSupport.withRouter { client in
            let response = try await client.execute(uri: "/v1/plans", method: .post, headers: Self.waitHeaders, body: body)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.headers[values: Self.warning].contains { $0.contains("/vpc/enableDnsHostname (did you mean enableDnsHostnames?)") })
            let result = try #require(try TestSupport.object(response)["result"] as? [String: Any])
            let findings = try #require(result["findings"] as? [[String: Any]])
            let unknown = try #require(findings.first { $0["ruleId"] as? String == "INP-001" })
            #expect(unknown["pointer"] as? String == "/vpc/enableDnsHostname")
            #expect(unknown["severity"] as? String == "warning")
            #expect((unknown["fix"] as? String)?.contains("enableDnsHostnames") == true)
            // The attribute the plan meant to give is absent, so the default of a new VPC (off) is judged.
            #expect(findings.contains { $0["ruleId"] as? String == "DNS-002" })
        }
    }

    @Test func auditsWarnOnTheirOwnFieldsNotOnTheAWSOutput() async throws {
        let body = try AuditRoutesTests.cloudFormationAudit(["vpcID": "vpc-1"])
        try await TestSupport.withRouter { client in
            let response = try await client.execute(uri: "/v1/audits", method: .post, headers: Self.waitHeaders, body: body)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            // The describe-* outputs carry many members eksnet does not read; they are AWS's, not misspellings.
            #expect(response.headers[values: Self.warning] == [#"299 - "unknown field /vpcID (did you mean vpcId?)""#])
            let result = try #require(try TestSupport.object(response)["result"] as? [String: Any])
            let evaluation = try #require(result["evaluation"] as? [String: Any])
            let findings = try #require(evaluation["findings"] as? [[String: Any]])
            #expect(findings.filter { $0["ruleId"] as? String == "INP-001" }.map { $0["pointer"] as? String } == ["/vpcID"])
        }
    }

    @Test func tagMapsAndEndpointObjectsAreNotUnknown() async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.post(
                "/v1/subnet-tags",
                raw: #"{"clusterName":"prod","subnets":[{"subnetId":"subnet-1","availabilityZone":"us-east-1a","cidrBlock":"10.0.0.0/24","defaultRoute":"igw","tags":{"Name":"public-a","team":"x"}}]}"#)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(response.headers[values: Self.warning].isEmpty)
        }
    }
}
