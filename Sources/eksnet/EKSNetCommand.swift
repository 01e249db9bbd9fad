import ArgumentParser
import EKSNetCore
import Foundation

/// `eksnet`: the core's answers at the command line, for engineers without the service at hand.
/// Exit codes: 0 fine, 1 a plan with errors (or a command that failed), 2 bad usage or input.
@main
struct EKSNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eksnet",
        abstract: "Plan Amazon EKS cluster networking with AWS's own numbers.",
        version: EKSNetRelease.versionText(program: "eksnet", aws: .embedded),
        subcommands: [
            MaxPodsCommand.self, InstanceTypesCommand.self, PlanCommand.self, TagsCommand.self, IPPoolCommand.self,
            SimulateCommand.self, LayoutCommand.self, AuditCommand.self, RulesCommand.self, RemediateCommand.self,
        ])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            // ArgumentParser says 64 for usage errors; eksnet promises 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// An error with the exit code eksnet promises.
struct CommandFailure: Error {
    var message: String
    var code: Int32

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }

    /// Every issue of a refused input, one per line.
    static func invalid(_ failure: ValidationFailure) -> CommandFailure {
        usage(failure.issues.map { "\($0.pointer ?? $0.parameter ?? ""): \($0.message)" }.joined(separator: "\n"))
    }
}

/// Reads and decodes a JSON file, or stdin for `-`.
func readJSON<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
    try decodeJSON(type, from: try readInput(path), path: path)
}

/// The bytes of a file, or of stdin for `-`.
func readInput(_ path: String) throws -> Data {
    if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    guard let contents = FileManager.default.contents(atPath: path) else {
        throw CommandFailure.usage("cannot read \(path)")
    }
    return contents
}

func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
        throw CommandFailure.usage("\(path): \(describe(error))")
    }
}

func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        "/" + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }
    switch error {
    case .dataCorrupted(let context) where context.codingPath.isEmpty: return "not valid JSON"
    case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
    case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is required"
    case .typeMismatch(_, let context): return "\(path(context.codingPath)): wrong type"
    case .valueNotFound(_, let context): return "\(path(context.codingPath)): must not be null"
    @unknown default: return "\(error)"
    }
}

/// Prints a value as pretty JSON.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Left-aligned columns, as `column -t` would print them.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
