import Foundation
import Logging
import Synchronization
import Testing

@testable import EKSNetServer

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    @Test func everyLineIsOneJSONObjectWhateverTheTextHolds() throws {
        let lines = Lines()
        var handler = JSONLogHandler(label: "eksnet", level: .info) { lines.append($0) }
        handler[metadataKey: "request_id"] = "abc"
        let logger = Logger(label: "eksnet") { _ in handler }
        logger.info(
            "quote \" backslash \\ newline \n tab \t bell \u{07} ünïcode",
            metadata: [
                "status": .stringConvertible(404), "duration_ms": .stringConvertible(1.25),
                "cached": .stringConvertible(true), "path": "/v1/plans/\"x\"",
                "nested": .dictionary(["list": .array(["a", .stringConvertible(2)])]),
            ])
        logger.debug("below the level")
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1, "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} ünïcode")
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "eksnet")
        #expect(object["request_id"] as? String == "abc")
        #expect(object["status"] as? Int == 404)
        #expect(object["duration_ms"] as? Double == 1.25)
        #expect(object["cached"] as? Bool == true)
        #expect(object["path"] as? String == "/v1/plans/\"x\"")
        #expect(((object["nested"] as? [String: Any])?["list"] as? [Any])?.count == 2)
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z") && timestamp.contains("."), "UTC with milliseconds: \(timestamp)")
    }
}
