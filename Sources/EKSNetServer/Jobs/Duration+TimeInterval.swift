import Foundation

/// Both job stores keep retention, leases and expiry as `Duration` and compute dates with `Date`.
extension Duration {
    /// The duration in seconds, as `Date` arithmetic takes it.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
