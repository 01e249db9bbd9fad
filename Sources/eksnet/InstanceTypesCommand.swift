import ArgumentParser
import EKSNetCore

/// `eksnet instance-types --family m5`: the catalog, filtered.
struct InstanceTypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance-types", abstract: "EC2 instance types with their network limits and max pods.")

    @Option(help: "Only this family, such as m5.")
    var family: String?

    @Option(help: "nitro, xen or none (bare metal).")
    var hypervisor: InstanceTypeQuery.HypervisorFilter?

    @Option(help: "At least this many vCPUs.")
    var minVcpus: Int?

    @Flag(help: "Only types that support prefix delegation.")
    var prefixDelegationSupported = false

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let query = InstanceTypeQuery(
            family: family, hypervisor: hypervisor, minVcpus: minVcpus,
            prefixDelegationSupported: prefixDelegationSupported ? true : nil, limit: InstanceTypeQuery.maximumLimit)
        var items: [InstanceType] = []
        let catalog = try catalogOptions.awsData().catalog
        var page = catalog.page(query)
        items += page.items
        while let cursor = page.nextCursor {
            var next = query
            next.cursor = cursor
            page = catalog.page(next)
            items += page.items
        }
        if outputOptions.isJSON {
            try printJSON(items)
            return
        }
        var table = TextTable(header: ["TYPE", "VCPUS", "HYPERVISOR", "ENIS", "IPV4/ENI", "MAX PODS", "WITH PD"])
        for type in items {
            let summary = MaxPodsSummary.compute(for: type)
            table.rows.append([
                type.name.rawValue, type.vcpus.map(String.init) ?? "-", type.hypervisor?.rawValue ?? "none",
                String(type.maximumNetworkInterfaces), String(type.ipv4AddressesPerInterface),
                String(summary.recommended.maxPods), String(summary.recommendedWithPrefixDelegation.maxPods),
            ])
        }
        print(table.rendered)
    }
}

extension InstanceTypeQuery.HypervisorFilter: ExpressibleByArgument {}
