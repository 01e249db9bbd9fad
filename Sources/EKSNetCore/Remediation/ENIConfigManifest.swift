/// An `ENIConfig` (crd.k8s.amazonaws.com/v1alpha1) for custom networking: named after the zone (with
/// ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone, nodes pick the one of their zone), `spec.subnet` required,
/// `spec.securityGroups` optional (without it, pod ENIs get the node's primary ENI groups). Written as JSON, which
/// `kubectl apply -f` reads as YAML.
enum ENIConfigManifest {
    static func render(zone: String, subnetId: String, securityGroups: [String]) -> String {
        var spec = "    \"subnet\": \"\(subnetId)\""
        if !securityGroups.isEmpty {
            spec += ",\n    \"securityGroups\": [" + securityGroups.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
        return """
            {
              "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
              "kind": "ENIConfig",
              "metadata": {"name": "\(zone)"},
              "spec": {
            \(spec)
              }
            }
            """
    }
}
