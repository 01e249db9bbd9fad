import Crypto
import EKSNetCore
import Foundation

/// `--instance-types-file` of the service and of every CLI command: DescribeInstanceTypes output merged over the
/// embedded catalog at start, so that a type AWS launched after the build answers without a rebuild. The one loader
/// both programs use; anything wrong with the file is an error naming it.
public enum InstanceTypesFile {
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `embedded` with the file's types merged over its catalog; the catalog's `version` names the file by its
    /// SHA-256, so a picture or an answer says which figures it was drawn from.
    public static func load(path: String, over embedded: AWSData) throws(LoadError) -> AWSData {
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
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        do {
            return try embedded.merging(describeInstanceTypes: Array(data), label: "file sha256:\(digest.prefix(16))")
        } catch {
            throw LoadError(description: "\(path): \(error.description)")
        }
    }
}
