import EKSNetCore
import Hummingbird

/// `/v1/rules`: the plan rule catalog — every rule a plan or audit finding can name, with what it checks, the
/// AWS behaviour behind it, the fix and the documentation.
struct RulesController: Sendable {
    struct Catalog: ResponseEncodable {
        var rules: [PlanRuleDescription]
    }

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.add(middleware: CacheValidationMiddleware(cacheControl: "private, max-age=3600"))
        routes.get { request, _ -> Catalog in
            var query = QueryParameters(request)
            let severity = query.oneOf("severity", Severity.self)
            let status = query.oneOf("status", PlanRuleDescription.Status.self)
            try query.throwIfInvalid()
            let rules = PlanRuleCatalog.all.filter {
                (severity == nil || $0.severity == severity) && (status == nil || $0.status == status)
            }
            return Catalog(rules: rules)
        }
        routes.get(":ruleId") { _, context -> PlanRuleDescription in
            let id = (context.parameters.get("ruleId") ?? "").uppercased()
            guard let rule = PlanRuleCatalog.rule(id) else {
                let prefix = id.split(separator: "-").first.map(String.init) ?? id
                throw Problem(
                    type: "urn:eksnet:problem:unknown-rule", title: "Unknown rule", status: .notFound,
                    detail: "No rule '\(id.prefix(40))' in the catalog; GET /v1/rules lists them all.",
                    suggestions: Array(PlanRuleCatalog.all.filter { $0.id.hasPrefix(prefix + "-") }.map(\.id).prefix(3)))
            }
            return rule
        }
        return routes
    }
}
