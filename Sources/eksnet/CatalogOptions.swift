import ArgumentParser
import EKSNetCore
import EKSNetInstanceTypesFile
import Foundation

/// `--instance-types-file`, on every command that looks up instance types: DescribeInstanceTypes output merged
/// over the embedded catalog by the same loader as the service's flag of the same name.
struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "JSON from 'aws ec2 describe-instance-types --output json' (pages may be concatenated), merged over the embedded catalog (env EKSNET_INSTANCE_TYPES_FILE).",
        valueName: "path"))
    var instanceTypesFile: String? = ProcessInfo.processInfo.environment["EKSNET_INSTANCE_TYPES_FILE"].flatMap { $0.isEmpty ? nil : $0 }

    func awsData() throws -> AWSData {
        guard let instanceTypesFile else { return .embedded }
        do {
            return try InstanceTypesFile.load(path: instanceTypesFile, over: .embedded)
        } catch {
            throw CommandFailure.usage("--instance-types-file \(error.description)")
        }
    }
}
