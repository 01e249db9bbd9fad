import EKSNetCore

/// Types whose JSON the hot capacity route writes by hand: the same keys, order and values as their Codable
/// form (a test compares them), without Codable's per-field dispatch.
protocol HandWrittenJSON {
    func writeJSON(to sink: JSONSink)
}

extension JSONSink {
    /// Writes `"key":` with the comma before it when it is not the first member.
    @inline(__always) func key(_ name: StaticString, first: Bool = false) {
        if !first { append(UInt8(ascii: ",")) }
        append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        append(UInt8(ascii: "\""))
        append(UInt8(ascii: ":"))
    }

    @inline(__always) func int(_ value: Int) { append(String(value)) }

    func strings(_ values: [String]) {
        append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            writeString(value)
        }
        append(UInt8(ascii: "]"))
    }
}

extension CapacityReport: HandWrittenJSON {
    func writeJSON(to sink: JSONSink) {
        sink.append(UInt8(ascii: "{"))
        sink.key("nodeGroups", first: true)
        sink.append(UInt8(ascii: "["))
        for (index, group) in nodeGroups.enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            group.writeJSON(to: sink)
        }
        sink.append(UInt8(ascii: "]"))
        sink.key("coreDnsReplicas")
        sink.int(coreDnsReplicas)
        sink.key("totals")
        sink.append(UInt8(ascii: "{"))
        sink.key("maxNodes", first: true)
        sink.int(totals.maxNodes)
        sink.key("maxPods")
        sink.int(totals.maxPods)
        sink.key("workloadPods")
        sink.int(totals.workloadPods)
        sink.key("subnetAddresses")
        sink.int(totals.subnetAddresses)
        sink.append("}}")
    }
}

extension NodeGroupCapacity: HandWrittenJSON {
    func writeJSON(to sink: JSONSink) {
        sink.append(UInt8(ascii: "{"))
        sink.key("name", first: true)
        sink.writeString(name)
        sink.key("instanceTypes")
        sink.append(UInt8(ascii: "["))
        for (index, type) in instanceTypes.enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            type.writeJSON(to: sink)
        }
        sink.append(UInt8(ascii: "]"))
        sink.key("maxPodsPerNode")
        sink.int(maxPodsPerNode)
        sink.key("limitingInstanceType")
        sink.writeString(limitingInstanceType.rawValue)
        sink.key("bindingLimit")
        sink.writeString(bindingLimit.rawValue)
        sink.key("explanation")
        sink.writeString(explanation)
        sink.key("daemonSetPodsPerNode")
        sink.int(daemonSetPodsPerNode)
        sink.key("workloadPodsPerNode")
        sink.int(workloadPodsPerNode)
        sink.key("subnetAddressesPerNode")
        sink.int(subnetAddressesPerNode)
        sink.key("sizingInstanceType")
        sink.writeString(sizingInstanceType.rawValue)
        for (name, totals) in [("min", min), ("desired", desired), ("max", max)] as [(StaticString, NodeGroupTotals)] {
            sink.key(name)
            totals.writeJSON(to: sink)
        }
        sink.key("notes")
        sink.strings(notes)
        sink.append(UInt8(ascii: "}"))
    }
}

extension NodeGroupTotals: HandWrittenJSON {
    func writeJSON(to sink: JSONSink) {
        sink.append(UInt8(ascii: "{"))
        sink.key("nodes", first: true)
        sink.int(nodes)
        sink.key("maxPods")
        sink.int(maxPods)
        sink.key("workloadPods")
        sink.int(workloadPods)
        sink.key("subnetAddresses")
        sink.int(subnetAddresses)
        sink.append(UInt8(ascii: "}"))
    }
}

extension InstanceTypeCapacity: HandWrittenJSON {
    func writeJSON(to sink: JSONSink) {
        sink.append(UInt8(ascii: "{"))
        sink.key("instanceType", first: true)
        sink.writeString(instanceType.rawValue)
        sink.key("kubeletMaxPods")
        sink.int(kubeletMaxPods)
        sink.key("eniLimitedPods")
        sink.int(eniLimitedPods)
        sink.key("maxPods")
        sink.int(maxPods)
        sink.key("bindingLimit")
        sink.writeString(bindingLimit.rawValue)
        sink.key("explanation")
        sink.writeString(explanation)
        sink.key("enisWhenFull")
        sink.int(enisWhenFull)
        sink.key("subnetAddressesWhenFull")
        sink.int(subnetAddressesWhenFull)
        sink.key("podSubnetAddressesWhenFull")
        sink.int(podSubnetAddressesWhenFull)
        sink.key("prefixesWhenFull")
        sink.int(prefixesWhenFull)
        sink.key("kubeletMemoryReserveMiB")
        sink.int(kubeletMemoryReserveMiB)
        sink.key("notes")
        sink.strings(notes)
        sink.append(UInt8(ascii: "}"))
    }
}
