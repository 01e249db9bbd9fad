/// The AWS figures every calculation reads: the instance types with their network limits, and which zones offer
/// each type. One value, built at start by the edge (the embedded tables, with `--instance-types-file` merged over
/// them) and passed down; no rule or planner reaches for a global table, so a file given at start reaches every
/// answer (docs/architecture.md, "AWS data").
public struct AWSData: Sendable {
    public let catalog: InstanceTypeCatalog
    public let offerings: InstanceTypeOfferings

    public init(catalog: InstanceTypeCatalog, offerings: InstanceTypeOfferings) {
        self.catalog = catalog
        self.offerings = offerings
    }

    /// The tables generated into this build (`scripts/generate-instance-types`), parsed once on first use.
    public static let embedded = AWSData(
        catalog: InstanceTypeCatalog(parsingTable: InstanceTypeCatalog.generatedTable),
        offerings: InstanceTypeOfferings(parsingTable: InstanceTypeOfferings.generatedTable))

    /// This data with DescribeInstanceTypes output merged over the catalog (`InstanceTypeCatalog.merging`);
    /// `label` names the source in the catalog's version.
    public func merging(describeInstanceTypes bytes: [UInt8], label: String) throws(DescribeInstanceTypesOutput.Problem) -> AWSData {
        let types = try DescribeInstanceTypesOutput.instanceTypes(from: bytes)
        return AWSData(catalog: catalog.merging(types, label: label).catalog, offerings: offerings)
    }
}
