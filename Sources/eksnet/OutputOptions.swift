import ArgumentParser

/// `--output table|json` (`-o`), the one way every command is asked for JSON. `--json` stays as a hidden
/// synonym for scripts written before `--output`.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(name: [.short, .long], help: "table (for people) or json (for scripts).")
    var output: Format = .table

    @Flag(name: .long, help: ArgumentHelp("Same as --output json.", visibility: .hidden))
    var json = false

    var isJSON: Bool { json || output == .json }
}
