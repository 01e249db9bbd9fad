import Crypto

/// One bearer token accepted on `/v1`, with the name that logs and metrics use for its holder.
///
/// The token itself never leaves this value: jobs are owned by `owner`, a SHA-256 of the token, so neither the
/// job store nor a log line can leak a credential.
public struct BearerCredential: Sendable, Equatable {
    /// Who holds the token (`portal`, `ci`), from `name:token` in the token file; derived from the hash when absent.
    public let name: String
    public let token: String
    /// The owner key of the jobs this credential creates: `sha256:` and the token's digest in hex.
    public let owner: String

    /// An unnamed token is called `token-<position>` (its place among the configured tokens): no part of its digest
    /// is shown, since a digest prefix in a metrics label lets a weak token be guessed offline.
    public init(name: String?, token: String, position: Int = 1) {
        let digest = SHA256.hash(data: Array(token.utf8)).hex
        self.token = token
        self.owner = "sha256:\(digest)"
        self.name = name ?? "token-\(position)"
    }
}

/// The caller a request is made by, as far as job ownership and logs are concerned.
public struct Caller: Sendable, Hashable {
    /// The owner key of the caller's jobs (see `BearerCredential.owner`).
    public let owner: String
    /// A name safe to log.
    public let name: String

    /// Everyone, when authentication is off: one shared owner, as before tokens existed.
    public static let anonymous = Caller(owner: "anonymous", name: "anonymous")

    public init(owner: String, name: String) {
        self.owner = owner
        self.name = name
    }

    init(_ credential: BearerCredential) {
        self.init(owner: credential.owner, name: credential.name)
    }
}
