import Foundation
import Logging

/// `--log-format json`: one JSON object per line on standard output — `timestamp` (RFC 3339, UTC, milliseconds),
/// `level`, `logger`, `message`, then the metadata (`request_id`, `trace_id`, `span_id`, `route`, `status`,
/// `duration_ms` on the access log), so that a log pipeline takes the fields without a parser of its own.
/// Numbers and booleans in the metadata stay JSON numbers and booleans.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let output: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, output: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "{\"timestamp\":"
        Self.append(string: Self.timestamp(), to: &line)
        line += ",\"level\":"
        Self.append(string: event.level.rawValue, to: &line)
        line += ",\"logger\":"
        Self.append(string: label, to: &line)
        line += ",\"message\":"
        Self.append(string: event.message.description, to: &line)
        for key in merged.keys.sorted() where !["timestamp", "level", "logger", "message"].contains(key) {
            line += ","
            Self.append(string: key, to: &line)
            line += ":"
            // Safe: the key was read from the dictionary.
            Self.append(value: merged[key]!, to: &line)
        }
        line += "}\n"
        output(line)
    }

    @Sendable public static func standardOutput(_ line: String) {
        let bytes = Data(line.utf8)
        lock.withLock { FileHandle.standardOutput.write(bytes) }
    }

    private static let lock = NSLock()

    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func append(value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            append(string: text, to: &line)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: line += String(number)
            case let number as Int64: line += String(number)
            case let number as Double where number.isFinite: line += String(number)
            case let flag as Bool: line += flag ? "true" : "false"
            default: append(string: convertible.description, to: &line)
            }
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                append(value: element, to: &line)
            }
            line += "]"
        case .dictionary(let members):
            line += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                append(string: key, to: &line)
                line += ":"
                append(value: members[key]!, to: &line)
            }
            line += "}"
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func append(string: String, to line: inout String) {
        line += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case let control where control.value < 0x20:
                line += String(format: "\\u%04x", control.value)
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
