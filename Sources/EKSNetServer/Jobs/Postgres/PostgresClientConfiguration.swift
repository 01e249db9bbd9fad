import NIOSSL
import PostgresNIO

extension PostgresClient.Configuration {
    /// The pool for a `--database-url`: TLS as libpq's `sslmode` says, at most 16 connections, 5 s to connect.
    init(eksnet url: DatabaseURL) {
        switch url.tls {
        case .disable:
            self.init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable)
        case .prefer, .require:
            // As libpq: encrypted, the certificate not checked (verify-full checks it).
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            self.init(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: url.tls == .prefer ? .prefer(tls) : .require(tls))
        case .verifyFull:
            self.init(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: .require(.makeClientConfiguration()))
        }
        options.maximumConnections = 16
        options.connectTimeout = .seconds(5)
        options.additionalStartupParameters = [("application_name", "eksnet")]
    }
}
