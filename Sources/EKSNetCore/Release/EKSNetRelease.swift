/// What this build of eksnet is: its version, the instance-type catalog it answers from and the VPC CNI release it
/// assumes when a request names none — what `--version` prints for the service and the CLI alike.
public enum EKSNetRelease {
    /// The service's version, as `openapi.yaml`'s `info.version` gives it.
    public static let version = "0.1.0"

    /// `eksnet-server 0.1.0`, then the catalog (with any instance-types file) and the default VPC CNI version.
    public static func versionText(program: String, aws: AWSData) -> String {
        """
        \(program) \(version)
        instance types: \(aws.catalog.version), \(aws.catalog.all.count.grouped) types
        default VPC CNI version: \(CNIVersion.current)
        """
    }
}
