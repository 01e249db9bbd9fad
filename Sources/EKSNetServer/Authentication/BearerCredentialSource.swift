/// Reads bearer credentials from where an operator puts them, and refuses, naming the source, anything that would
/// leave authentication silently off or ambiguous.
///
/// Each entry is `token` or `name:token`: a line of the token file (blank lines and `#` comments skipped) or a
/// comma-separated item of `EKSNET_AUTH_TOKENS`. A name is 1–64 letters, digits, `.`, `_` or `-`; a token that
/// itself contains `:` must therefore be written with a name (`portal:ab:cd`).
public enum BearerCredentialSource {
    /// Why the credentials cannot be used; the message names the source and the entry.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The credentials, or nil when authentication was not asked for (no variable, no file).
    ///
    /// - Parameters:
    ///   - environment: the value of `EKSNET_AUTH_TOKENS` when the variable is set, even to an empty string.
    ///   - file: the token file's path and text, when one is configured.
    public static func credentials(
        environment: String?, file: (path: String, text: String)?
    ) throws(Refusal) -> [BearerCredential]? {
        guard environment != nil || file != nil else { return nil }
        var entries: [(source: String, text: String)] = []
        if let environment {
            for (index, item) in environment.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                entries.append(("EKSNET_AUTH_TOKENS item \(index + 1)", String(item)))
            }
        }
        if let file {
            for (index, line) in file.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                let text = String(line)
                if text.trimmed.hasPrefix("#") { continue }
                entries.append(("\(file.path) line \(index + 1)", text))
            }
        }
        var credentials: [BearerCredential] = []
        var names: [String: String] = [:]
        var owners: [String: String] = [:]
        for entry in entries {
            let text = entry.text.trimmed
            if text.isEmpty { continue }
            let credential = try parse(text, source: entry.source, position: credentials.count + 1)
            if let earlier = owners[credential.owner] {
                throw Refusal("\(entry.source) repeats the token of \(earlier); each caller needs its own token")
            }
            if let earlier = names[credential.name] {
                throw Refusal("\(entry.source) reuses the name '\(credential.name)' of \(earlier); names must be unique")
            }
            owners[credential.owner] = entry.source
            names[credential.name] = entry.source
            credentials.append(credential)
        }
        guard !credentials.isEmpty else {
            var sources: [String] = []
            if environment != nil { sources.append("EKSNET_AUTH_TOKENS is set") }
            if let file { sources.append("the token file \(file.path) is configured") }
            throw Refusal(
                "authentication was asked for (\(sources.joined(separator: " and "))) but no usable token was found; "
                    + "refusing to start with /v1 open. Supply at least one token, or unset both to run without "
                    + "authentication.")
        }
        return credentials
    }

    static func parse(_ text: String, source: String, position: Int = 1) throws(Refusal) -> BearerCredential {
        var name: String?
        var token = text
        if let colon = text.firstIndex(of: ":") {
            let candidate = String(text[..<colon])
            if isName(candidate) {
                name = candidate
                token = String(text[text.index(after: colon)...]).trimmed
            }
        }
        guard !token.isEmpty else { throw Refusal("\(source): the name '\(name ?? "")' has no token after ':'") }
        // A bearer token travels in a header: printable ASCII without spaces (RFC 6750 b64token and friends).
        guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Refusal("\(source): a token must be printable ASCII without spaces (it is sent in a header)")
        }
        return BearerCredential(name: name, token: token, position: position)
    }

    static func isName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}

extension String {
    fileprivate var trimmed: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
