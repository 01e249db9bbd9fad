import Testing

@testable import EKSNetServer

/// Each kind of job is one definition: its case, its lane and its routes come from it.
@Suite struct JobKindDefinitionTests {
    @Test func everyKindHasTheDefinitionThatNamesIt() {
        for kind in JobKind.allCases {
            #expect(kind.definition.kind == kind)
        }
        #expect(JobKind.allCases.filter(\.isSimulating) == [.simulation, .remediation])
    }

    /// Every kind's collection answers a list, through the one generic controller.
    @Test func everyKindIsRoutedUnderItsCollection() async throws {
        try await TestSupport.withRouter { client in
            for kind in JobKind.allCases {
                let status = try await client.execute(uri: "/v1/\(kind.collection)", method: .get).status
                #expect(status == .ok, "\(kind)")
            }
        }
    }
}
