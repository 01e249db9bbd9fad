import EKSNetCore
import EKSNetJSON
import Foundation
import Hummingbird
import NIOCore

/// JSON in and out: one shared encoder and decoder (both are safe to share), bodies bounded, decoding errors
/// turned into problems that name the field.
enum JSONWire {
    static let encoder = StreamingJSONEncoder()

    static let decoder = JSONValueDecoder()

    /// A 200 (or other status) response with a JSON body.
    static func response(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let data = try encoder.encode(value)
        let body = ResponseCompression.body(ByteBuffer(bytes: data), headers: &fields)
        return Response(status: status, headers: fields, body: body)
    }

    /// Decodes a value from bytes, mapping every failure to a problem: 400 when the bytes are not JSON, 422 naming
    /// the field when the JSON does not fit.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: ByteBuffer) throws(Problem) -> (value: T, unknownFields: [UnknownField]) {
        guard bytes.readableBytes > 0 else {
            throw Problem.malformed("The request body is empty; send a JSON object (Content-Type: application/json).")
        }
        // Strict RFC 8259 and unique member names first: every route accepts and refuses the same bodies, and no
        // duplicate is resolved silently. Then one generic decoder for every request type.
        let finding = bytes.withUnsafeReadableBytes { JSONDiagnosis.validate(Array($0)) }
        if finding != .none { throw problem(for: finding) }
        do {
            return try bytes.withUnsafeReadableBytes { raw in try decoder.decodeReportingUnknownFields(T.self, from: raw) }
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw problem(for: JSONDiagnosis.diagnose(Array(bytes.readableBytesView)))
        } catch let error as DecodingError {
            throw problem(for: error)
        } catch {
            throw Problem.malformed("The request body is not valid JSON: \(error)")
        }
    }

    static func problem(for finding: JSONDiagnosis.Finding) -> Problem {
        switch finding {
        case .syntax(let line, let column, let message):
            return Problem.malformed("The request body is not valid JSON: line \(line), column \(column): \(message).")
        case .tooDeep(let pointer, let limit):
            return Problem.malformed(
                "The request body nests deeper than \(limit) levels (at '\(pointer.prefix(60))…'); no eksnet request needs that.")
        case .duplicateKey(let pointer, let key):
            var problem = Problem.malformed(
                "The request body is not valid for eksnet: the member '\(key.prefix(100))' appears twice at "
                    + "\(pointer.prefix(200)); give each member once.")
            problem.errors = [FieldIssue(pointer: pointer, message: "'\(key.prefix(100))' is given more than once")]
            return problem
        case .outOfRange(let pointer, let text):
            return Problem.invalid([
                FieldIssue(pointer: pointer, message: "the number \(text) is out of range (beyond ±1.8e308)")
            ])
        case .notAnInteger(let pointer, let text):
            return Problem.invalid([
                FieldIssue(
                    pointer: pointer,
                    message: "expected a whole number within ±9,223,372,036,854,775,807, found \(text)")
            ])
        case .none:
            return Problem.malformed("The request body is not valid JSON.")
        }
    }

    static func pointer(_ path: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
        var pointer = JSONPointer.root
        for element in path + (key.map { [$0] } ?? []) {
            if let index = element.intValue {
                pointer = pointer / index
            } else {
                pointer = pointer / element.stringValue
            }
        }
        return pointer.description
    }

    static func problem(for error: DecodingError) -> Problem {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let reason = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            return Problem.malformed("The request body is not valid JSON: \(reason)")
        case .dataCorrupted(let context):
            return Problem.invalid([FieldIssue(pointer: pointer(context.codingPath), message: context.debugDescription)])
        case .keyNotFound(let key, let context):
            return Problem.invalid([
                FieldIssue(pointer: pointer(context.codingPath, appending: key), message: "\(key.stringValue) is required")
            ])
        case .typeMismatch(let expected, let context):
            return Problem.invalid([
                FieldIssue(pointer: pointer(context.codingPath), message: "expected \(jsonName(of: expected))")
            ])
        case .valueNotFound(let expected, let context):
            return Problem.invalid([
                FieldIssue(
                    pointer: pointer(context.codingPath), message: "expected \(jsonName(of: expected)), found null")
            ])
        @unknown default:
            return Problem.malformed("The request body could not be decoded: \(error)")
        }
    }

    static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "a boolean (true or false)"
        case is String.Type: return "a string"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
