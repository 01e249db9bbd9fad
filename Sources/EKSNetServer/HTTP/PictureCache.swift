import Synchronization

/// Pictures of finished jobs, drawn once: a job's input and result never change once it has succeeded, so its
/// address map, report page or timeline is the same on every request. Drawing a large simulation's timeline took
/// 0.7 s (issue 28); a repeat now costs a lookup. Bounded in bytes, least recently used first out. Jobs are looked
/// up by owner before their picture is, so an entry is only ever reached by its job's caller.
final class PictureCache: Sendable {
    struct Key: Hashable {
        let jobId: String
        let format: PictureFormat
        /// The catalog the picture was drawn with (a restart with another `--instance-types-file` draws anew).
        let catalogVersion: String
    }

    private struct State {
        var pictures: [Key: (text: String, lastUse: UInt64)] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    /// Bytes of pictures kept at most.
    let maxBytes: Int
    private let state = Mutex(State())

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    static let shared = PictureCache(maxBytes: 32 << 20)

    /// The picture drawn before, or `draw`'s, kept when it fits.
    func picture(for key: Key, draw: () throws -> String) rethrows -> String {
        let cached = state.withLock { state -> String? in
            guard let entry = state.pictures[key] else { return nil }
            state.clock += 1
            state.pictures[key] = (entry.text, state.clock)
            return entry.text
        }
        if let cached { return cached }
        let text = try draw()
        let size = text.utf8.count
        guard size <= maxBytes / 4 else { return text }
        state.withLock { state in
            if state.pictures[key] != nil { return }
            while state.bytes + size > maxBytes, let oldest = state.pictures.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.pictures[oldest.key] = nil
                state.bytes -= oldest.value.text.utf8.count
            }
            state.clock += 1
            state.pictures[key] = (text, state.clock)
            state.bytes += size
        }
        return text
    }

    /// Pictures kept now.
    var count: Int { state.withLock { $0.pictures.count } }
}
