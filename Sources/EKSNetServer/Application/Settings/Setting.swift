import EKSNetCore

/// One setting of `eksnet-server`, declared once: its flag, its environment variable, the form its text takes, its
/// default, its range and its help. The flag parsing, the environment reading, the validation, `--help` and the
/// settings table in docs/operations.md are all made from these declarations (`ServerSettings.all`).
public struct Setting<Value: Sendable>: Sendable {
    /// The flag without its dashes (`max-jobs` for `--max-jobs`); nil for a setting read from the environment only.
    public let flag: String?
    public let environment: String
    /// What the value is called in `--help` (`<seconds>`).
    public let valueName: String
    public let help: String
    public let `default`: Value
    /// The default as `--help` shows it; nil when there is none to show.
    public let defaultDescription: String?
    /// Whether the flag may be given several times, each adding a value, as the variable's comma-separated list does.
    let repeatable: Bool
    /// Whether a variable set to the empty text is a value (and so a mistake to report) rather than unset.
    let emptyIsAValue: Bool
    /// The value the text means, or why it means none.
    let parse: @Sendable (String) -> Result<Value, SettingRefusal>
    /// Where the value goes.
    let assign: @Sendable (inout ServerStart, Value) -> Void

    init(
        flag: String?, environment: String, valueName: String, default: Value, defaultDescription: String?,
        repeatable: Bool = false, emptyIsAValue: Bool = false, help: String,
        parse: @escaping @Sendable (String) -> Result<Value, SettingRefusal>,
        assign: @escaping @Sendable (inout ServerStart, Value) -> Void
    ) {
        self.flag = flag
        self.environment = environment
        self.valueName = valueName
        self.default = `default`
        self.defaultDescription = defaultDescription
        self.repeatable = repeatable
        self.emptyIsAValue = emptyIsAValue
        self.help = help
        self.parse = parse
        self.assign = assign
    }

    /// How the setting is named in a refusal: `--max-jobs (EKSNET_MAX_JOBS)`.
    public var label: String { flag.map { "--\($0) (\(environment))" } ?? environment }

    var erased: AnySetting {
        AnySetting(
            flag: flag, environment: environment, valueName: valueName, help: help,
            defaultDescription: defaultDescription, repeatable: repeatable, emptyIsAValue: emptyIsAValue, label: label,
            applyDefault: { start in assign(&start, `default`) },
            apply: { text, start in
                switch parse(text) {
                case .success(let value):
                    assign(&start, value)
                    return nil
                case .failure(let refusal):
                    return refusal
                }
            })
    }
}

/// Why a setting's text means no value.
public enum SettingRefusal: Error, Equatable, Sendable {
    /// The text is not of the setting's form ("a whole number").
    case form(String)
    /// The text is of the form but out of range ("must be 1–3600 seconds").
    case range(String)
    /// The text is not one of the values allowed ("is not json or text").
    case choice(String)
}

/// A setting with its type erased, as the reader walks them.
struct AnySetting: Sendable {
    let flag: String?
    let environment: String
    let valueName: String
    let help: String
    let defaultDescription: String?
    let repeatable: Bool
    let emptyIsAValue: Bool
    let label: String
    let applyDefault: @Sendable (inout ServerStart) -> Void
    let apply: @Sendable (String, inout ServerStart) -> SettingRefusal?
}

extension Setting where Value == Int {
    /// A whole number within `range`; `unit` ends the range message ("seconds").
    static func integer(
        _ flag: String, _ environment: String, default: Int, shownAs: String? = nil, range: ClosedRange<Int>,
        unit: String? = nil, valueName: String = "n", help: String,
        assign: @escaping @Sendable (inout ServerStart, Int) -> Void
    ) -> Setting<Int> {
        // Counts read grouped (1,000,000); a port or a few thousand seconds read as written (65535, 3600).
        func written(_ number: Int) -> String { number >= 10_000 && valueName != "port" ? number.grouped : String(number) }
        let rangeText = "must be \(written(range.lowerBound))–\(written(range.upperBound))" + (unit.map { " " + $0 } ?? "")
        return Setting(
            flag: flag, environment: environment, valueName: valueName, default: `default`,
            defaultDescription: shownAs ?? String(`default`), help: help,
            parse: { text in
                guard let value = Int(text) else { return .failure(.form("a whole number")) }
                return range.contains(value) ? .success(value) : .failure(.range(rangeText))
            },
            assign: assign)
    }
}

extension Setting where Value == Double {
    /// A finite number of seconds within `range`.
    static func seconds(
        _ flag: String, _ environment: String, default: Double, range: ClosedRange<Double>, help: String,
        assign: @escaping @Sendable (inout ServerStart, Double) -> Void
    ) -> Setting<Double> {
        let rangeText = "must be \(Int(range.lowerBound))–\(Int(range.upperBound)) seconds"
        return Setting(
            flag: flag, environment: environment, valueName: "seconds", default: `default`,
            defaultDescription: `default` == `default`.rounded() ? String(Int(`default`)) : String(`default`), help: help,
            parse: { text in
                guard let value = Double(text), value.isFinite else { return .failure(.form("a number of seconds (such as 5 or 0.5)")) }
                return range.contains(value) ? .success(value) : .failure(.range(rangeText))
            },
            assign: assign)
    }
}

extension Setting where Value == ByteCount {
    /// A size within `range`, in bytes or with a unit (`128MiB`).
    static func size(
        _ flag: String, _ environment: String, default: Int, range: ClosedRange<Int>, help: String,
        assign: @escaping @Sendable (inout ServerStart, ByteCount) -> Void
    ) -> Setting<ByteCount> {
        let lower = range.lowerBound == 1 ? "1 byte" : ByteCount(bytes: range.lowerBound).description
        let rangeText = "must be between \(lower) and \(ByteCount(bytes: range.upperBound))"
        return Setting(
            flag: flag, environment: environment, valueName: "size", default: ByteCount(bytes: `default`),
            defaultDescription: ByteCount(bytes: `default`).description, help: help,
            parse: { text in
                guard let value = ByteCount(parsing: text) else { return .failure(.form(ByteCount.form)) }
                return range.contains(value.bytes) ? .success(value) : .failure(.range(rangeText))
            },
            assign: assign)
    }
}

extension Setting where Value == String {
    /// One of `choices` (`aliases` map other spellings onto them).
    static func choice(
        _ flag: String, _ environment: String, default: String, choices: [String], aliases: [String: String] = [:],
        choicesText: String? = nil, help: String, assign: @escaping @Sendable (inout ServerStart, String) -> Void
    ) -> Setting<String> {
        Setting(
            flag: flag, environment: environment, valueName: choices.joined(separator: "|"), default: `default`,
            defaultDescription: `default`, help: help,
            parse: { text in
                let value = aliases[text.lowercased()] ?? text.lowercased()
                return choices.contains(value)
                    ? .success(value) : .failure(.choice("is not " + (choicesText ?? choices.joined(separator: " or "))))
            },
            assign: assign)
    }

    /// Any text; `hostname` and paths.
    static func text(
        _ flag: String?, _ environment: String, default: String, valueName: String, help: String,
        assign: @escaping @Sendable (inout ServerStart, String) -> Void
    ) -> Setting<String> {
        Setting(
            flag: flag, environment: environment, valueName: valueName, default: `default`, defaultDescription: `default`,
            help: help, parse: { .success($0) }, assign: assign)
    }
}

extension Setting where Value == String? {
    /// Text with no default (a path, a URL); `emptyIsAValue` when setting it empty is a mistake to report.
    static func optionalText(
        _ flag: String?, _ environment: String, valueName: String, emptyIsAValue: Bool = false, help: String,
        assign: @escaping @Sendable (inout ServerStart, String?) -> Void
    ) -> Setting<String?> {
        Setting(
            flag: flag, environment: environment, valueName: valueName, default: nil, defaultDescription: nil,
            emptyIsAValue: emptyIsAValue, help: help, parse: { .success($0) }, assign: assign)
    }
}
