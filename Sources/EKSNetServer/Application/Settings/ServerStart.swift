import EKSNetCore
import EKSNetInstanceTypesFile
import Foundation

/// What `eksnet-server` was asked to do, read from its arguments and environment through `ServerSettings`: flags
/// win over environment variables, which win over the declared defaults.
public struct ServerStart: Sendable {
    public var configuration: AppConfiguration = AppConfiguration()
    public var logFormat: String = ServerSettings.logFormat.default
    var jobStoreName: String = ServerSettings.jobStore.default
    var databaseURL: String?
    var databaseURLFile: String?
    var authTokenFile: String?
    var authTokens: String?
    var instanceTypesFile: String?

    /// What the command line asks for.
    public enum Request: Sendable {
        case run(ServerStart)
        case help(String)
        case version(String)
    }

    /// A start refused, with the message that names the flag or variable.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads the arguments (without the program name) and the environment. Files named by settings (tokens, the
    /// database URL, instance types) are read here too, so that anything wrong stops the start with its name.
    public static func read(arguments: [String], environment: [String: String]) throws(Refusal) -> Request {
        var given: [String: [String]] = [:]
        var wantsVersion = false
        var remaining = arguments[...]
        let byFlag = Dictionary(ServerSettings.all.compactMap { setting in setting.flag.map { ($0, setting) } }) { first, _ in first }
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" { return .help(helpText) }
            if argument == "--version" {
                wantsVersion = true
                continue
            }
            guard argument.hasPrefix("--") else { throw Refusal(description: "Unexpected argument '\(argument.prefix(60))'") }
            let name: String
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = String(argument.dropFirst(2))
            }
            guard let setting = byFlag[name] else { throw Refusal(description: "Unknown option '--\(name.prefix(60))'") }
            if value == nil { value = remaining.popFirst() }
            guard let value else { throw Refusal(description: "Missing value for '--\(name) <\(setting.valueName)>'") }
            given[name, default: []].append(value)
        }

        var start = ServerStart()
        for setting in ServerSettings.all { setting.applyDefault(&start) }
        for setting in ServerSettings.all {
            // The variable is checked even when a flag overrides it: a broken variable is a mistake either way.
            if let text = environment[setting.environment], setting.emptyIsAValue || !text.isEmpty,
                let refusal = setting.apply(text, &start)
            {
                throw Refusal(description: message(refusal, setting: setting, text: text, fromFlag: false))
            }
            guard let flag = setting.flag, let values = given[flag], let last = values.last else { continue }
            // A repeatable flag's values make one list, as the variable's commas do; otherwise the last one counts.
            let text = setting.repeatable ? values.joined(separator: ",") : last
            if let refusal = setting.apply(text, &start) {
                throw Refusal(description: message(refusal, setting: setting, text: text, fromFlag: true))
            }
        }
        try start.checkTogether()
        if wantsVersion { return .version(EKSNetRelease.versionText(program: "eksnet-server", aws: try start.awsData())) }
        start.configuration.bearerCredentials = try start.credentials() ?? []
        start.configuration.jobStore = try start.jobStoreKind()
        start.configuration.aws = try start.awsData()
        return .run(start)
    }

    static func message(_ refusal: SettingRefusal, setting: AnySetting, text: String, fromFlag: Bool) -> String {
        switch refusal {
        case .form(let form) where fromFlag:
            return "The value '\(text.prefix(40))' is invalid for '--\(setting.flag ?? "") <\(setting.valueName)>': expected \(form)"
        case .form(let form):
            return "\(setting.environment)='\(text.prefix(40))' is not valid: expected \(form)"
        case .range(let rule):
            return "\(setting.label) \(rule)"
        case .choice(let rule):
            return "\(setting.label) '\(text.prefix(20))' \(rule)"
        }
    }

    /// The rules that join two settings.
    mutating func checkTogether() throws(Refusal) {
        guard configuration.maxBufferedBodyBytes >= configuration.maxRequestBodyBytes else {
            throw Refusal(description: "\(ServerSettings.maxBufferedBodyBytes.label) must be at least --max-body-size")
        }
        if let probePort = configuration.probePort, probePort != 0, probePort == configuration.port {
            throw Refusal(description: "--probe-port must differ from --port")
        }
        configuration.deliveredJobRetention = min(configuration.deliveredJobRetention, configuration.jobRetention)
        if authTokenFile?.isEmpty == true {
            throw Refusal(description: "\(ServerSettings.authTokenFile.label) is set but empty: name the token file")
        }
    }

    /// Credentials from the file and the environment; nil when authentication was not asked for.
    func credentials() throws(Refusal) -> [BearerCredential]? {
        var file: (path: String, text: String)?
        if let authTokenFile {
            guard let text = try? String(contentsOfFile: authTokenFile, encoding: .utf8) else {
                throw Refusal(description: "--auth-token-file \(authTokenFile) cannot be read")
            }
            file = (authTokenFile, text)
        }
        do {
            return try BearerCredentialSource.credentials(environment: authTokens, file: file)
        } catch {
            throw Refusal(description: error.description)
        }
    }

    /// The job store asked for; the URL's password is never repeated in an error.
    func jobStoreKind() throws(Refusal) -> AppConfiguration.JobStoreKind {
        guard jobStoreName == "postgres" else { return .memory }
        let text: String
        if let databaseURLFile {
            guard let contents = try? String(contentsOfFile: databaseURLFile, encoding: .utf8) else {
                throw Refusal(description: "\(ServerSettings.databaseURLFile.label) \(databaseURLFile.prefix(200)) cannot be read")
            }
            text = contents
        } else if let databaseURL {
            text = databaseURL
        } else {
            throw Refusal(
                description: "--job-store postgres needs --database-url-file or --database-url (EKSNET_DATABASE_URL_FILE, EKSNET_DATABASE_URL)")
        }
        do {
            return .postgres(try DatabaseURL(parsing: text))
        } catch {
            throw Refusal(
                description: "the database URL (\(databaseURLFile == nil ? "--database-url" : "--database-url-file")) is not usable: \(error.description)")
        }
    }

    /// The AWS data every route answers from.
    func awsData() throws(Refusal) -> AWSData {
        guard let instanceTypesFile else { return .embedded }
        do {
            return try InstanceTypesFile.load(path: instanceTypesFile, over: .embedded)
        } catch {
            throw Refusal(description: "\(ServerSettings.instanceTypesFile.label) \(error.description)")
        }
    }

    /// `eksnet-server --help`, made from the declarations.
    public static var helpText: String {
        var lines = [
            "OVERVIEW: Serve the eksnet API: EKS network plans, pod capacity, subnet tags, VPC CNI IP simulation.",
            "",
            "USAGE: eksnet-server [--<setting> <value>] ...",
            "",
            "Flags win over environment variables, which win over defaults.",
            "",
            "OPTIONS:",
        ]
        for setting in ServerSettings.all {
            let head = setting.flag.map { "  --\($0) <\(setting.valueName)>" } ?? "  (environment only)"
            var detail = setting.help + " (env \(setting.environment)"
            if let shown = setting.defaultDescription { detail += "; default: \(shown)" }
            lines.append(head)
            lines.append("        " + detail + ")")
        }
        lines.append("  --version")
        lines.append("        Print the version, the instance-type catalog's (with any --instance-types-file) and the default VPC CNI version.")
        lines.append("  -h, --help")
        lines.append("        Show this help.")
        return lines.joined(separator: "\n")
    }

    /// The settings table of docs/operations.md, made from the declarations (`SettingsTests` keeps the page in step).
    public static var markdownTable: String {
        var lines = ["| flag | environment | default | what it sets |", "|---|---|---|---|"]
        for setting in ServerSettings.all {
            let flag = setting.flag.map { "`--\($0)`" } ?? "—"
            let shown = setting.defaultDescription.map { "`\($0)`" } ?? "—"
            lines.append("| \(flag) | `\(setting.environment)` | \(shown) | \(setting.help.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }
}
