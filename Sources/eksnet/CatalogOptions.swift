import ArgumentParser
import EKSNetCore
import Foundation

/// `--instance-types-file`, on every command that looks up instance types: DescribeInstanceTypes output merged
/// over the embedded catalog, as the service's flag of the same name does.
struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "JSON from 'aws ec2 describe-instance-types --output json' (pages may be concatenated), merged over the embedded catalog (env EKSNET_INSTANCE_TYPES_FILE).",
        valueName: "path"))
    var instanceTypesFile: String? = ProcessInfo.processInfo.environment["EKSNET_INSTANCE_TYPES_FILE"].flatMap { $0.isEmpty ? nil : $0 }

    func catalog() throws -> InstanceTypeCatalog {
        guard let instanceTypesFile else { return .standard }
        guard let data = FileManager.default.contents(atPath: instanceTypesFile) else {
            throw CommandFailure.usage("--instance-types-file \(instanceTypesFile): cannot be read")
        }
        do {
            let types = try DescribeInstanceTypesOutput.instanceTypes(from: Array(data))
            return InstanceTypeCatalog.standard.merging(types, label: "file \(instanceTypesFile)").catalog
        } catch {
            throw CommandFailure.usage("--instance-types-file \(instanceTypesFile): \(error.description)")
        }
    }
}
