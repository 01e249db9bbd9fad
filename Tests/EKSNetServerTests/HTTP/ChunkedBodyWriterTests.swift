import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import EKSNetServer

/// Issue 28, item 2: a large job document is written in pieces of at most 64 KiB, from the stored (possibly
/// compressed) bytes, gzip-compressed on the way when asked — and the bytes that arrive are exactly the document.
@Suite struct ChunkedBodyWriterTests {
    final class Received: @unchecked Sendable {
        var bytes = ByteBuffer()
        var pieces: [Int] = []
        var finished = false
    }

    struct Collector: ResponseBodyWriter {
        let received: Received
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            received.pieces.append(buffer.readableBytes)
            received.bytes.writeBuffer(&buffer)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws { received.finished = true }
    }

    /// About 1.5 MB of JSON that compresses well, as simulation series do.
    static let json: [UInt8] = Array(
        ("[" + (0..<60_000).map { #"{"t":\#($0),"free":\#(4091 - $0 % 4091)}"# }.joined(separator: ",") + "]").utf8)

    @Test(arguments: [false, true], [false, true])
    func piecesAddUpToTheDocument(storedCompressed: Bool, gzip: Bool) async throws {
        let stored = EncodedJSON(json: Self.json, compressionThreshold: storedCompressed ? 1024 : .max)
        #expect(stored.isCompressed == storedCompressed)
        let received = Received()
        var writer = try ChunkedBodyWriter(Collector(received: received), gzip: gzip)
        try await writer.write("{\"result\":")
        try await writer.write(stored)
        try await writer.write("}")
        try await writer.finish()
        #expect(received.finished)
        #expect(received.pieces.allSatisfy { $0 <= ChunkedBodyWriter.chunkSize }, "\(received.pieces.max() ?? 0)")
        var body = received.bytes
        if gzip {
            #expect(body.readableBytes < Self.json.count / 4)
            body = try body.decompress(with: .gzip())
        }
        #expect(Array(body.readableBytesView) == Array("{\"result\":".utf8) + Self.json + Array("}".utf8))
    }
}
