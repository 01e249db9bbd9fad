import Crypto
import EKSNetCore
import Foundation

/// `--instance-types-file`: DescribeInstanceTypes output merged over the embedded catalog at start, so that a type
/// AWS launched after the build answers without a rebuild. Anything wrong with the file stops the start.
public enum InstanceTypesFile {
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The embedded catalog with the file's types merged over it; `version` names the file by its SHA-256.
    public static func load(path: String, over embedded: InstanceTypeCatalog = .standard) throws(LoadError) -> InstanceTypeCatalog {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else {
            throw LoadError(description: "\(path): cannot be read (missing, or not a file this process may open)")
        }
        guard size <= DescribeInstanceTypesOutput.maximumBytes else {
            throw LoadError(description: "\(path): \(size) bytes is more than the \(DescribeInstanceTypesOutput.maximumBytes >> 20) MiB allowed")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw LoadError(description: "\(path): cannot be read")
        }
        let types: [InstanceType]
        do {
            types = try DescribeInstanceTypesOutput.instanceTypes(from: Array(data))
        } catch {
            throw LoadError(description: "\(path): \(error.description)")
        }
        let digest = SHA256.hash(data: data).hex
        return embedded.merging(types, label: "file sha256:\(digest.prefix(16))").catalog
    }
}
