import EKSNetCore
import Hummingbird

/// `/v1/instance-types`: the catalog, one type's limits, and the max-pods calculator.
struct InstanceTypesController: Sendable {
    let catalog: InstanceTypeCatalog

    struct Page: ResponseEncodable {
        var items: [InstanceType]
        var nextCursor: String?
        var totalMatching: Int
    }

    /// One type: its limits, flattened, plus the max-pods figures of every producer.
    struct Detail: ResponseEncodable {
        var instanceType: InstanceType
        var maxPods: MaxPodsSummary

        enum CodingKeys: String, CodingKey { case maxPods }

        func encode(to encoder: any Encoder) throws {
            try instanceType.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(maxPods, forKey: .maxPods)
        }
    }

    /// The calculator's answer with the flags it ran with.
    struct MaxPodsAnswer: ResponseEncodable {
        var calculation: MaxPodsCalculation
        var cniVersion: String
        var customNetworking: Bool
        var prefixDelegationRequested: Bool
        var maxEni: Int?
        var showMaxAllowed: Bool

        enum CodingKeys: String, CodingKey {
            case cniVersion, customNetworking, prefixDelegationRequested, maxEni, showMaxAllowed
        }

        func encode(to encoder: any Encoder) throws {
            try calculation.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cniVersion, forKey: .cniVersion)
            try container.encode(customNetworking, forKey: .customNetworking)
            try container.encode(prefixDelegationRequested, forKey: .prefixDelegationRequested)
            try container.encode(maxEni, forKey: .maxEni)
            try container.encode(showMaxAllowed, forKey: .showMaxAllowed)
        }
    }

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.add(middleware: CatalogVersionMiddleware(version: catalog.version))
        routes.add(middleware: CacheValidationMiddleware(cacheControl: "private, max-age=3600"))
        routes.get { request, _ in try list(request) }
        routes.get(":instanceType") { _, context -> Detail in
            let type = try lookUp(context)
            return Detail(instanceType: type, maxPods: MaxPodsSummary.compute(for: type))
        }
        routes.get(":instanceType/max-pods") { request, context in
            try maxPods(request, type: try lookUp(context))
        }
        routes.get(":instanceType/ip-pool") { request, context in
            try ipPool(request, type: try lookUp(context))
        }
        return routes
    }

    func list(_ request: Request) throws -> Page {
        var query = QueryParameters(request)
        let limit = query.int("limit", in: 1...InstanceTypeQuery.maximumLimit) ?? InstanceTypeQuery.defaultLimit
        let filter = InstanceTypeQuery(
            family: query.string("family"),
            hypervisor: query.oneOf("hypervisor", InstanceTypeQuery.HypervisorFilter.self),
            minVcpus: query.int("minVcpus", in: 0...100_000),
            prefixDelegationSupported: query.bool("prefixDelegationSupported"),
            limit: limit,
            cursor: query.string("cursor"))
        try query.throwIfInvalid()
        let page = catalog.page(filter)
        return Page(items: page.items, nextCursor: page.nextCursor, totalMatching: page.totalMatching)
    }

    func lookUp(_ context: EKSNetRequestContext) throws -> InstanceType {
        let name = context.parameters.get("instanceType") ?? ""
        guard let type = catalog.instanceType(named: name) else {
            throw Problem(
                type: "urn:eksnet:problem:unknown-instance-type", title: "Unknown instance type", status: .notFound,
                detail: catalog.unknownTypeMessage(name),
                suggestions: catalog.closestNames(to: name).map(\.rawValue))
        }
        return type
    }

    /// The settled pool of one node and the settings it ran with.
    func ipPool(_ request: Request, type: InstanceType) throws -> NodeIPPoolReport {
        var query = QueryParameters(request)
        var input = CNISettingsInput()
        input.version = query.string("cniVersion")
        input.warmEniTarget = query.int("warmEniTarget", in: CNISettingsInput.targetRange)
        input.warmIpTarget = query.int("warmIpTarget", in: CNISettingsInput.targetRange)
        input.minimumIpTarget = query.int("minimumIpTarget", in: CNISettingsInput.targetRange)
        input.warmPrefixTarget = query.int("warmPrefixTarget", in: CNISettingsInput.targetRange)
        input.prefixDelegation = query.bool("prefixDelegation")
        input.customNetworking = query.bool("customNetworking").map { .init(enabled: $0) }
        input.maxEni = query.int("maxEni", in: CNISettingsInput.maxEniRange)
        input.securityGroupsForPods = query.bool("securityGroupsForPods")
        let pods = query.int("pods", in: 0...NodeGroupInput.maxPodsRange.upperBound) ?? 0
        let maxPods = query.int("maxPods", in: NodeGroupInput.maxPodsRange)
        let report: NodeIPPoolReport
        do throws(ValidationFailure) {
            report = try NodeIPPoolReport.compute(instanceType: type, cni: input, pods: pods, maxPods: maxPods)
        } catch {
            // Every issue at once: the query's own and the settings' (their field names are the parameters' names,
            // but for the version).
            for issue in error.issues {
                let field = String(issue.pointer?.dropFirst() ?? "")
                query.add(field == "version" ? "cniVersion" : field, issue.message)
            }
            try query.throwIfInvalid()
            throw Problem.invalid(error.issues)
        }
        try query.throwIfInvalid()
        return report
    }

    func maxPods(_ request: Request, type: InstanceType) throws -> MaxPodsAnswer {
        var query = QueryParameters(request)
        var version = CNIVersion.current
        if let text = query.string("cniVersion") {
            do {
                version = try CNIVersion(parsing: text)
            } catch {
                query.add("cniVersion", error.description)
            }
        }
        let options = MaxPodsOptions(
            cniVersion: version,
            customNetworking: query.bool("customNetworking") ?? false,
            prefixDelegation: query.bool("prefixDelegation") ?? false,
            maxEni: query.int("maxEni", in: 1...CNISettingsInput.maxEniRange.upperBound),
            showMaxAllowed: query.bool("showMaxAllowed") ?? false)
        try query.throwIfInvalid()
        let calculation: MaxPodsCalculation
        do {
            calculation = try MaxPods.recommended(for: type, options: options)
        } catch {
            let parameter = if case .noENIForPods = error { options.customNetworking ? "customNetworking" : "maxEni" } else { "cniVersion" }
            throw Problem.invalid([FieldIssue(parameter: parameter, message: error.description)])
        }
        return MaxPodsAnswer(
            calculation: calculation, cniVersion: version.text, customNetworking: options.customNetworking,
            prefixDelegationRequested: options.prefixDelegation, maxEni: options.maxEni,
            showMaxAllowed: options.showMaxAllowed)
    }
}
