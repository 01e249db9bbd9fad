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

/// `--output table|json|svg|html` for the commands whose answer is also a picture: plan check (an address map, or
/// the whole report as one HTML page), audit and layout (address maps), simulate (the timeline).
struct PictureOutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, svg, html
    }

    @Option(name: [.short, .long], help: "table (for people), json (for scripts), svg (a picture) or html (plan check: the report page).")
    var output: Format = .table

    @Flag(name: .long, help: ArgumentHelp("Same as --output json.", visibility: .hidden))
    var json = false

    var format: Format { json ? .json : output }
}
