import EKSNetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EKSNetServer

@Suite struct InstanceTypesRoutesTests {
    @Test func listsAndPaginatesWithFilters() async throws {
        try await TestSupport.withRouter { client in
            var names: [String] = []
            var uri = "/v1/instance-types?family=m5&hypervisor=nitro&limit=4"
            var total = 0
            while true {
                let response = try await client.get(uri)
                #expect(response.status == .ok)
                let page = try TestSupport.object(response)
                total = page["totalMatching"] as? Int ?? -1
                let items = page["items"] as? [[String: Any]] ?? []
                #expect(items.count <= 4)
                for item in items {
                    #expect(item["family"] as? String == "m5")
                    #expect(item["hypervisor"] as? String == "nitro")
                    names.append(item["instanceType"] as? String ?? "")
                }
                guard let cursor = page["nextCursor"] as? String else { break }
                uri = "/v1/instance-types?family=m5&hypervisor=nitro&limit=4&cursor=\(cursor)"
            }
            #expect(names.count == total)
            #expect(names.contains("m5.large"))
            #expect(!names.contains("m5.metal"))

            let big = try TestSupport.object(
                try await client.get("/v1/instance-types?minVcpus=192&prefixDelegationSupported=true&limit=1000"))
            for item in big["items"] as? [[String: Any]] ?? [] {
                #expect((item["vcpus"] as? Int ?? 0) >= 192)
                #expect(item["prefixDelegationSupported"] as? Bool == true)
            }
            let all = try TestSupport.object(try await client.get("/v1/instance-types?limit=1000"))
            #expect(all["totalMatching"] as? Int == AWSData.embedded.catalog.all.count)
            #expect((all["items"] as? [Any])?.count == 1000)
        }
    }

    @Test func rejectsBadFilters() async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(
                try await client.get("/v1/instance-types?limit=0&hypervisor=kvm&minVcpus=-1&prefixDelegationSupported=maybe"),
                .unprocessableContent)
            #expect(Set(issueLocations(problem)) == ["limit", "hypervisor", "minVcpus", "prefixDelegationSupported"])
            try expectProblem(try await client.get("/v1/instance-types?limit=99999999999999999999999"), .unprocessableContent)
        }
    }

    @Test func describesOneTypeWithEveryProducer() async throws {
        try await TestSupport.withRouter { client in
            let body = try TestSupport.object(try await client.get("/v1/instance-types/m5.large"))
            #expect(body["instanceType"] as? String == "m5.large")
            #expect(body["maximumNetworkInterfaces"] as? Int == 3)
            #expect(body["ipv4AddressesPerInterface"] as? Int == 10)
            let maxPods = try #require(body["maxPods"] as? [String: Any])
            #expect(maxPods["eniLimited"] as? Int == 29)
            #expect((maxPods["recommended"] as? [String: Any])?["maxPods"] as? Int == 29)
            #expect((maxPods["recommendedWithPrefixDelegation"] as? [String: Any])?["maxPods"] as? Int == 110)
            #expect((maxPods["recommendedWithCustomNetworking"] as? [String: Any])?["maxPods"] as? Int == 20)
            #expect(maxPods["managedNodeGroupWithPrefixDelegation"] as? Int == 110)
            #expect(maxPods["karpenter"] as? Int == 29)
            #expect(maxPods["kubeletMemoryReserveMiB"] as? Int == 574)

            let p5 = try TestSupport.object(try await client.get("/v1/instance-types/p5.48xlarge"))
            #expect(p5["maximumNetworkInterfaces"] as? Int == 2)
            #expect(p5["maximumNetworkInterfacesAllCards"] as? Int == 64)
        }
    }

    @Test func unknownTypeNamesCloseMatches() async throws {
        try await TestSupport.withRouter { client in
            let problem = try expectProblem(try await client.get("/v1/instance-types/m5.larg"), .notFound)
            let suggestions = problem["suggestions"] as? [String] ?? []
            #expect(suggestions.first == "m5.large")
            #expect(suggestions.count <= 3)
            #expect((problem["detail"] as? String)?.contains("m5.large") == true)
            try expectProblem(try await client.get("/v1/instance-types/m5.larg/max-pods"), .notFound)
        }
    }

    @Test(arguments: MaxPodsRouteCase.table)
    func maxPodsTableThroughTheRoute(row: MaxPodsRouteCase) async throws {
        try await TestSupport.withRouter { client in
            let response = try await client.get(row.uri)
            if let expected = row.expected {
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let body = try TestSupport.object(response)
                #expect(body["maxPods"] as? Int == expected)
                #expect(body["explanation"] is String)
                #expect(body["uncapped"] is Int)
                #expect(body.keys.contains("cap"))
            } else {
                let problem = try expectProblem(response, .unprocessableContent)
                #expect(issueLocations(problem) == [row.errorParameter])
            }
        }
    }

    @Test func showMaxAllowedEqualsTheENIFormulaForEveryTypeOverHTTP() async throws {
        try await TestSupport.withRouter { client in
            for type in AWSData.embedded.catalog.all {
                let response = try await client.get("/v1/instance-types/\(type.name)/max-pods?showMaxAllowed=true")
                let body = try TestSupport.object(response)
                let expected = type.maximumNetworkInterfaces * (type.ipv4AddressesPerInterface - 1) + 2
                #expect(body["maxPods"] as? Int == expected, "\(type.name)")
                #expect(body["cap"] is NSNull, "\(type.name)")
            }
        }
    }

    @Test func defaultsToTheCurrentCNIVersion() async throws {
        try await TestSupport.withRouter { client in
            let body = try TestSupport.object(try await client.get("/v1/instance-types/m5.large/max-pods"))
            #expect(body["cniVersion"] as? String == CNIVersion.current.text)
            #expect(body["cap"] is NSNull)
            #expect(body["explanation"] as? String == "3 ENIs × 9 secondary IPs + 2 host-network pods = 29")
        }
    }
}

/// The max-pods test table (`MaxPodsTableTests`) as query strings.
struct MaxPodsRouteCase: CustomTestStringConvertible, Sendable {
    var type: String
    var query: String
    var expected: Int?
    var errorParameter: String = ""

    var uri: String { "/v1/instance-types/\(type)/max-pods?cniVersion=1.10.0&\(query)" }
    var testDescription: String { "\(type)?\(query)" }

    static let table: [MaxPodsRouteCase] = [
        .init(type: "t3.micro", query: "", expected: 4),
        .init(type: "m5.large", query: "", expected: 29),
        .init(type: "m5.4xlarge", query: "", expected: 110),
        .init(type: "m5.8xlarge", query: "", expected: 234),
        .init(type: "m5.24xlarge", query: "", expected: 250),
        .init(type: "m5.24xlarge", query: "showMaxAllowed=true", expected: 737),
        .init(type: "m5.metal", query: "prefixDelegation=true&showMaxAllowed=true", expected: 737),
        .init(type: "m5.metal", query: "prefixDelegation=true", expected: 250),
        .init(type: "m5.large", query: "prefixDelegation=true&cniVersion=1.9.0-eksbuild.1", expected: 110),
        .init(type: "m5.large", query: "prefixDelegation=true&showMaxAllowed=true", expected: 434),
        .init(type: "m5.large", query: "prefixDelegation=true&showMaxAllowed=true&cniVersion=1.8.0", expected: 29),
        .init(type: "m5.large", query: "prefixDelegation=true&cniVersion=v1.10.0", expected: nil, errorParameter: "cniVersion"),
        .init(type: "t3.nano", query: "prefixDelegation=true", expected: 34),
        .init(type: "m5.16xlarge", query: "prefixDelegation=true", expected: 250),
        .init(type: "m5.large", query: "customNetworking=true", expected: 20),
        .init(type: "m5.xlarge", query: "customNetworking=true&prefixDelegation=true&showMaxAllowed=true", expected: 674),
        .init(type: "m5.xlarge", query: "prefixDelegation=true&showMaxAllowed=true&maxEni=1", expected: 226),
        .init(type: "c4.large", query: "prefixDelegation=true&showMaxAllowed=true", expected: 29),
        .init(type: "m4.10xlarge", query: "", expected: 234),
        .init(type: "t2.micro", query: "", expected: 4),
        .init(type: "p5.48xlarge", query: "", expected: 100),
        .init(type: "trn1.32xlarge", query: "showMaxAllowed=true", expected: 247),
        .init(type: "c6in.32xlarge", query: "", expected: 250),
        .init(type: "c6in.32xlarge", query: "showMaxAllowed=true", expected: 394),
        .init(type: "hpc6id.32xlarge", query: "customNetworking=true", expected: nil, errorParameter: "customNetworking"),
        .init(type: "m5.large", query: "maxEni=0", expected: nil, errorParameter: "maxEni"),
        .init(type: "m5.large", query: "customNetworking=perhaps", expected: nil, errorParameter: "customNetworking"),
    ]
}
