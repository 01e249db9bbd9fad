import Testing

@testable import EKSNetServer

/// Issue 28, item 1: a finished job's picture is drawn once; the cache stays within its bytes.
@Suite struct PictureCacheTests {
    static func key(_ id: String) -> PictureCache.Key { .init(jobId: id, format: .svg, catalogVersion: "v") }

    @Test func aPictureIsDrawnOnce() {
        let cache = PictureCache(maxBytes: 1 << 20)
        var draws = 0
        for _ in 0..<3 {
            let text = cache.picture(for: Self.key("a")) { draws += 1; return "<svg/>" }
            #expect(text == "<svg/>")
        }
        #expect(draws == 1)
        _ = cache.picture(for: .init(jobId: "a", format: .html, catalogVersion: "v")) { draws += 1; return "<html/>" }
        #expect(draws == 2)
    }

    @Test func theLeastRecentlyUsedGoesFirstWhenFull() {
        let cache = PictureCache(maxBytes: 400)
        let picture = String(repeating: "x", count: 100)
        for id in ["a", "b", "c", "d"] { _ = cache.picture(for: Self.key(id)) { picture } }
        _ = cache.picture(for: Self.key("a")) { picture }
        _ = cache.picture(for: Self.key("e")) { picture }
        #expect(cache.count == 4)
        var redrawn: [String] = []
        for id in ["a", "b", "c", "d", "e"] { _ = cache.picture(for: Self.key(id)) { redrawn.append(id); return picture } }
        #expect(redrawn.first == "b")
    }
}
