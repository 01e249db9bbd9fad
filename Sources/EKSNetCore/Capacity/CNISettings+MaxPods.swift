extension CNISettings {
    /// The max-pods calculator's flags these settings amount to.
    public var maxPodsOptions: MaxPodsOptions {
        MaxPodsOptions(
            cniVersion: version, customNetworking: warmPool.customNetworking,
            prefixDelegation: warmPool.prefixDelegation, maxEni: warmPool.maxEni
        )
    }
}
