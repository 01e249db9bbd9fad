import Foundation
import Testing

/// The core's folders are layers that only point down (docs/architecture.md): a file may use the types of its own
/// folder and of lower layers, never of a layer above or beside it. One target keeps the build fast; this test is
/// what enforces the direction. It reads the sources as text: every type declared at the top level of a file belongs
/// to its folder, and a use of that name in another folder is a reference.
@Suite struct LayeringTests {
    /// Lower numbers are lower layers; folders with the same number must not reference each other.
    static let layers: [String: Int] = [
        "Validation": 0,
        "Addressing": 1, "Vocabulary": 1,
        "Network": 2, "Catalog": 2,
        "CNI": 3,
        "Capacity": 4,
        "Simulation": 5, "Tags": 5,
        "Plan": 6,
        "Layout": 7, "Audit": 7,
        "Release": 8, "Remediation": 8, "Pictures": 8,
    ]

    static let coreDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/EKSNetCore")

    struct SourceFile {
        var folder: String
        var path: String
        var text: String
    }

    static func sources() throws -> [SourceFile] {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: coreDirectory.path) else { return [] }
        var files: [SourceFile] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let folder = String(relative.split(separator: "/").first ?? "")
            let text = try String(contentsOf: coreDirectory.appendingPathComponent(relative), encoding: .utf8)
            files.append(SourceFile(folder: folder, path: relative, text: text))
        }
        return files
    }

    /// Names of the types a file declares at its top level.
    static func declaredTypes(in text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var words = line.split(separator: " ")
            guard let first = line.first, first.isLetter else { continue }
            while let word = words.first, ["public", "internal", "fileprivate", "private", "final", "indirect"].contains(word) {
                words.removeFirst()
            }
            guard words.count >= 2, ["struct", "enum", "class", "protocol", "typealias", "actor"].contains(words[0]) else { continue }
            let name = words[1].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty { names.append(String(name)) }
        }
        return names
    }

    /// Identifiers used on each line, comments and string literals left out.
    static func identifiers(in text: String) -> [(line: Int, name: String)] {
        var result: [(Int, String)] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let comment = line.range(of: "//") { line = line[..<comment.lowerBound] }
            var current = ""
            var inString = false
            var escaped = false
            for character in line {
                if inString {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                    continue
                }
                if character == "\"" {
                    inString = true
                } else if character.isLetter || character.isNumber || character == "_" {
                    current.append(character)
                    continue
                }
                if !current.isEmpty, let first = current.first, !first.isNumber { result.append((number + 1, current)) }
                current = ""
            }
            if !current.isEmpty, let first = current.first, !first.isNumber { result.append((number + 1, current)) }
        }
        return result
    }

    @Test func everyFolderHasALayer() throws {
        let folders = Set(try Self.sources().map(\.folder))
        let unplaced = folders.subtracting(Self.layers.keys).sorted()
        #expect(unplaced.isEmpty, "folders without a layer in LayeringTests.layers: \(unplaced)")
        #expect(folders.count > 8)
    }

    @Test func layersOnlyPointDown() throws {
        let files = try Self.sources()
        var owners: [String: Set<String>] = [:]
        for file in files {
            for name in Self.declaredTypes(in: file.text) { owners[name, default: []].insert(file.folder) }
        }
        // Sanity: the scan sees the types it must guard.
        #expect(owners["PlanContext"] == ["Plan"])
        #expect(owners["IPAMDPolicy"] == ["CNI"])
        #expect(owners["SubnetTable"] == ["Network"])
        var upward: [String] = []
        for file in files {
            guard let layer = Self.layers[file.folder] else { continue }
            var seen: Set<String> = []
            for (line, name) in Self.identifiers(in: file.text) {
                guard let folders = owners[name], folders.count == 1, let owner = folders.first, owner != file.folder,
                    let ownerLayer = Self.layers[owner], ownerLayer >= layer, seen.insert(name).inserted
                else { continue }
                upward.append("\(file.path):\(line) uses \(name) from \(owner) (layer \(ownerLayer) ≥ \(layer))")
            }
        }
        #expect(upward.isEmpty, "references that point up or sideways:\n\(upward.joined(separator: "\n"))")
    }

    @Test func theScanFindsAnUpwardReference() {
        // The checker itself: a Capacity file naming a Plan type is caught.
        let owners = Self.declaredTypes(in: "public struct PlanContext: Sendable {\n    struct Inner {}\n}\n")
        #expect(owners == ["PlanContext"])
        let used = Self.identifiers(in: "let x = PlanContext(plan, aws: .embedded) // PlanRule\nlet s = \"SubnetTable\"\n").map(\.name)
        #expect(used.contains("PlanContext"))
        #expect(!used.contains("PlanRule"))
        #expect(!used.contains("SubnetTable"))
    }
}
