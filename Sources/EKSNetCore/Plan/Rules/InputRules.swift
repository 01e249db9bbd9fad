/// What the request itself says about how it was read.
enum InputRules {
    static let all: [PlanRule] = [
        PlanRule("INP-001") { inputs, rule in
            // A misspelled field is a check silently skipped (enableDnsHostname leaves DNS-002 to its default).
            inputs.context.unknownFields.map { field in
                rule.finding(
                    field.pointer,
                    "\(field.sentence): no field of a plan reads it, so whatever it was meant to say was not checked",
                    fix: field.suggestion.map { "Rename it to \($0)." } ?? "Remove it, or check the field names in openapi.yaml.")
            }
        },
    ]
}
