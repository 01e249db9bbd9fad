/// A value that JSON carries as a string and that is parsed strictly on the way in (addresses, CIDR blocks, VPC CNI
/// versions): a bad string is a decoding error whose message says what is wrong, at the field's coding path.
public protocol TextCodable: Codable, CustomStringConvertible {
    /// Parses the text; the error's description is shown to the user.
    init(text: String) throws
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
