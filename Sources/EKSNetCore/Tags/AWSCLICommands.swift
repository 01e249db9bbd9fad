/// `aws ec2 create-tags` / `delete-tags` command lines, safe to paste into a POSIX shell.
public enum AWSCLICommands {
    /// A POSIX shell script running the commands, stopping at the first failure.
    public static func shellScript(_ commands: [String]) -> String {
        "#!/bin/sh\n# Subnet tags suggested by eksnet.\nset -eu\n" + commands.map { $0 + "\n" }.joined()
    }

    /// One create-tags command per distinct set of tags (subnets sharing it go in one `--resources` list), then
    /// one delete-tags command per distinct set of keys.
    public static func tagCommands(_ suggestions: [SubnetTagSuggestion], region: String?) -> [String] {
        var creates: [[String]: [String]] = [:]
        var createOrder: [[String]] = []
        var deletes: [[String]: [String]] = [:]
        var deleteOrder: [[String]] = []
        for suggestion in suggestions {
            var seen: Set<String> = []
            let adds = suggestion.add.filter { seen.insert($0.key).inserted }
                .map { shellQuote("Key=\(shorthandEscape($0.key)),Value=\(shorthandEscape($0.value ?? ""))") }
            if !adds.isEmpty {
                if creates[adds] == nil { createOrder.append(adds) }
                creates[adds, default: []].append(suggestion.subnetId)
            }
            let removes = Array(Set(suggestion.remove.map(\.key))).sorted().map { shellQuote("Key=\(shorthandEscape($0))") }
            if !removes.isEmpty {
                if deletes[removes] == nil { deleteOrder.append(removes) }
                deletes[removes, default: []].append(suggestion.subnetId)
            }
        }
        let regionFlag = region.map { " --region \(shellQuote($0))" } ?? ""
        let createLines = createOrder.map { tags in
            "aws ec2 create-tags\(regionFlag) --resources \((creates[tags] ?? []).map(shellQuote).joined(separator: " ")) --tags \(tags.joined(separator: " "))"
        }
        let deleteLines = deleteOrder.map { tags in
            "aws ec2 delete-tags\(regionFlag) --resources \((deletes[tags] ?? []).map(shellQuote).joined(separator: " ")) --tags \(tags.joined(separator: " "))"
        }
        return createLines + deleteLines
    }

    /// The AWS CLI shorthand syntax treats `,` and `=` specially inside values; a backslash escapes them.
    static func shorthandEscape(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "," || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Leaves plain words alone and single-quotes anything else (an embedded quote becomes `'\''`).
    public static func shellQuote(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "-_./=:,@+".unicodeScalars.contains($0)
        }
        if plain { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
