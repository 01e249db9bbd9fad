import CompressNIO
import NIOCore

/// A job's input or result as the store keeps it: JSON bytes, gzip-compressed past a size. A 5 MB simulation result
/// held as decoded structures cost 22 MiB; as bytes it costs its size, and compressed about a tenth of that.
public struct EncodedJSON: Sendable, Hashable {
    /// The stored bytes: JSON, or its gzip form when `isCompressed`.
    public let storage: [UInt8]
    public let isCompressed: Bool
    /// The length of the JSON itself.
    public let jsonByteCount: Int

    /// JSON at least this long is kept compressed.
    public static let compressionThreshold = 16 * 1024

    public init(storage: [UInt8], isCompressed: Bool, jsonByteCount: Int) {
        self.storage = storage
        self.isCompressed = isCompressed
        self.jsonByteCount = jsonByteCount
    }

    /// Keeps `json` as it is, or compressed when that pays.
    public init(json: [UInt8], compressionThreshold: Int = Self.compressionThreshold) {
        guard json.count >= compressionThreshold else {
            self.init(storage: json, isCompressed: false, jsonByteCount: json.count)
            return
        }
        var input = ByteBuffer(bytes: json)
        guard let compressed = try? input.compress(with: .gzip), compressed.readableBytes < json.count else {
            self.init(storage: json, isCompressed: false, jsonByteCount: json.count)
            return
        }
        self.init(storage: Array(compressed.readableBytesView), isCompressed: true, jsonByteCount: json.count)
    }

    /// Bytes held in memory (what the store's byte bound counts).
    public var storedByteCount: Int { storage.count }

    /// The JSON text.
    public func json() throws -> ByteBuffer {
        guard isCompressed else { return ByteBuffer(bytes: storage) }
        var input = ByteBuffer(bytes: storage)
        var output = ByteBufferAllocator().buffer(capacity: jsonByteCount)
        try input.decompress(to: &output, with: .gzip)
        return output
    }
}
