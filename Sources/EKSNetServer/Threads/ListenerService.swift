import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A listener's service, whose failure to bind is told in the words of the setting that chose the address: which
/// listener, which address and port, and the flag and variable that move it.
struct ListenerService<Base: Service>: Service {
    let base: Base
    /// "the API listener", "the probe listener".
    let listener: String
    let host: String
    let port: Int
    /// The setting that chose the port (`ServerSettings.probePort`'s label, and what else it accepts).
    let setting: String

    func run() async throws {
        do {
            try await base.run()
        } catch let error as IOError where [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(error.errnoCode) {
            throw ListenerBindFailure(
                description: "\(listener) cannot listen on \(host):\(port) (\(String(cString: strerror(error.errnoCode)))); "
                    + "choose another port with \(setting)")
        }
    }
}

/// A listener that could not bind; the message names the address, the port and the setting.
public struct ListenerBindFailure: Error, CustomStringConvertible {
    public let description: String
}
