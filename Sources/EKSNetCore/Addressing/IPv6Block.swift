/// IPv6 blocks are carried as text (eksnet does no IPv6 arithmetic yet); this is the shape check they get.
public enum IPv6Block {
    /// `2600:1f18:1:100::/64`-shaped: hex groups with colons, a prefix length 0–128.
    public static func looksValid(_ text: String) -> Bool {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...128).contains(prefix), parts[0].contains(":") else {
            return false
        }
        return parts[0].count <= 39 && parts[0].allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
