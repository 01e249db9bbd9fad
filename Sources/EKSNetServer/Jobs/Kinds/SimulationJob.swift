import EKSNetCore

/// `/v1/simulations`: the VPC CNI's warm pool over time; drawn as its timeline.
enum SimulationJob: JobKindDefinition {
    static let kind = JobKind.simulation
    static let simulates = true

    static func work(_ input: SimulationInput, unknownFields: [UnknownField], aws: AWSData) throws -> JobRunner.Work {
        // Checked and resolved once, at once; the run itself happens in the job.
        let setup = try SimulationSetup(input, aws: aws)
        return {
            let result = IPAllocationSimulator.run(setup)
            // A cancelled run (deleted job, time budget, shutdown) stops early with a partial result.
            try Task.checkCancellation()
            return (result, result.oneLineSummary)
        }
    }

    static func picture(input: SimulationInput, result: EncodedJSON, format: PictureFormat, aws: AWSData) throws -> String? {
        guard format == .svg else { return nil }
        return SimulationTimeline.render(input: input, result: try decodeStored(SimulationResult.self, result))
    }
}
