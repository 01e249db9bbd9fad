import Foundation

/// `postgres://user:password@host:5432/database?sslmode=require`, parsed once. Its description never shows the
/// password, so the URL can be logged and named in errors.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        /// No TLS (a database on loopback or in the same pod network with its own encryption).
        case disable
        /// TLS when the server offers it, the certificate not checked (libpq's default).
        case prefer
        /// TLS or nothing, the certificate not checked — libpq's `require`, enough against eavesdropping (RDS and
        /// Aurora accept it as they are).
        case require
        /// TLS with the certificate checked against the system's trust store (`verify-ca`, `verify-full`).
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Parses the URL; the error names what is wrong and never repeats the password.
    public init(parsing text: String) throws(DatabaseURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else {
            throw DatabaseURLError("expected postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else { throw DatabaseURLError("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw DatabaseURLError("the URL names no user") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw DatabaseURLError("the port must be 1–65535") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        self.host = host
        self.port = port
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.isEmpty ? self.username : (database.removingPercentEncoding ?? database)
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value?.lowercased() ?? "prefer"
        switch mode {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require": tls = .require
        case "verify-ca", "verify-full": tls = .verifyFull
        default: throw DatabaseURLError("sslmode '\(mode.prefix(20))' is not disable, prefer, require, verify-ca or verify-full")
        }
    }

    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}

public struct DatabaseURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
