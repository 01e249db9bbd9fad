import CompressNIO
import Hummingbird
import NIOCore

/// Writes a large body in pieces of at most `chunkSize` bytes, gzip-compressing on the way when the client asked
/// for it, so that a response costs its chunk and the compressor's window, not its whole size: 100 clients that
/// asked for a 6.7 MB result and never read it held 600 MiB (issue 28). Each write waits while the connection
/// cannot take more (the channel's backpressure), and a connection that stays unable to take more is closed by
/// the write timeout (`RequestDeadline`).
struct ChunkedBodyWriter {
    static var chunkSize: Int { 64 * 1024 }

    private var writer: any ResponseBodyWriter
    private let compressor: (any NIOCompressor)?
    private var pending: ByteBuffer
    /// Bytes handed to the connection so far.
    private(set) var written = 0

    init(_ writer: any ResponseBodyWriter, gzip: Bool) throws {
        self.writer = writer
        self.pending = ByteBufferAllocator().buffer(capacity: Self.chunkSize)
        if gzip {
            let compressor = CompressionAlgorithm.gzip().compressor
            try compressor.startStream()
            self.compressor = compressor
        } else {
            self.compressor = nil
        }
    }

    mutating func write(_ piece: ByteBuffer) async throws {
        var input = piece
        guard let compressor else {
            while input.readableBytes > 0 {
                let take = min(input.readableBytes, Self.chunkSize - pending.readableBytes)
                guard var slice = input.readSlice(length: take) else { break }
                pending.writeBuffer(&slice)
                if pending.readableBytes >= Self.chunkSize { try await flush() }
            }
            return
        }
        while input.readableBytes > 0 {
            do {
                try compressor.streamDeflate(from: &input, to: &pending, flush: .no)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // The chunk is full; it is sent below and the rest of the input goes into the next.
            }
            if pending.writableBytes == 0 { try await flush() }
        }
    }

    mutating func write(_ text: String) async throws {
        try await write(ByteBuffer(string: text))
    }

    /// The JSON of a stored input or result, decompressed a chunk at a time when it is kept compressed.
    mutating func write(_ stored: EncodedJSON) async throws {
        guard stored.isCompressed else {
            try await write(ByteBuffer(bytes: stored.storage))
            return
        }
        let decompressor = CompressionAlgorithm.gzip().decompressor
        try decompressor.startStream()
        defer { try? decompressor.finishStream() }
        var input = ByteBuffer(bytes: stored.storage)
        var finished = false
        while !finished {
            var output = ByteBufferAllocator().buffer(capacity: Self.chunkSize)
            do {
                try decompressor.streamInflate(from: &input, to: &output)
                finished = true
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // More output than the chunk holds: written below, then the next chunk.
            }
            try await write(output)
        }
    }

    /// Ends the compressed stream, sends what is left and ends the body.
    mutating func finish() async throws {
        if let compressor {
            var done = false
            while !done {
                if pending.writableBytes < 1024 { try await flush() }
                do {
                    try compressor.finishDeflate(to: &pending)
                    done = true
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    try await flush()
                }
            }
            try compressor.finishStream()
        }
        try await flush()
        try await writer.finish(nil)
    }

    private mutating func flush() async throws {
        guard pending.readableBytes > 0 else {
            pending.reserveCapacity(minimumWritableBytes: Self.chunkSize)
            return
        }
        written += pending.readableBytes
        try await writer.write(pending)
        pending = ByteBufferAllocator().buffer(capacity: Self.chunkSize)
    }
}
