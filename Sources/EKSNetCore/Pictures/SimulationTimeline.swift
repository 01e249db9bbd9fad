/// A simulation over time as a picture: free addresses per subnet and the addresses nodes hold unassigned (left
/// axis), pods waiting for an address (right axis), with the timeline's events and the first exhaustion marked.
public enum SimulationTimeline {
    public static func render(input: SimulationInput, result: SimulationResult, title: String = "VPC CNI allocation over time") -> String {
        let width = 1000.0
        let plot = (x: 80.0, y: 60.0, width: 820.0, height: 320.0)
        let seriesCount = result.subnets.count + 2
        let height = plot.y + plot.height + 70 + Double((seriesCount + 2) / 3) * 20 + 40
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: 20, y: 28, size: 16, weight: "bold")
        let times = result.times.map(Double.init)
        let end = max(times.last ?? 1, Double(result.summary.durationSeconds), 1)
        let held = zip(result.subnets.first?.heldUnassigned.indices ?? 0..<0, result.times).map { index, _ in
            result.subnets.reduce(0) { $0 + ($1.heldUnassigned.indices.contains(index) ? $1.heldUnassigned[index] : 0) }
        }
        let waiting = result.times.indices.map { index in
            result.nodeGroups.reduce(0) { total, group in
                total + [group.pendingNoIp, group.pendingSubnetExhausted, group.pendingMaxPods]
                    .reduce(0) { $0 + ($1.indices.contains(index) ? $1[index] : 0) }
            }
        }
        let addressMax = max(1, (result.subnets.flatMap(\.freeAddresses) + held + result.subnets.map(\.usableAddresses)).max() ?? 1)
        let podsMax = max(1, waiting.max() ?? 1)
        func x(_ time: Double) -> Double { plot.x + time / end * plot.width }
        func yAddresses(_ value: Int) -> Double { plot.y + plot.height - Double(value) / Double(addressMax) * plot.height }
        func yPods(_ value: Int) -> Double { plot.y + plot.height - Double(value) / Double(podsMax) * plot.height }

        // Axes with units.
        canvas.line(x1: plot.x, y1: plot.y, x2: plot.x, y2: plot.y + plot.height, stroke: Palette.axis)
        canvas.line(x1: plot.x, y1: plot.y + plot.height, x2: plot.x + plot.width, y2: plot.y + plot.height, stroke: Palette.axis)
        canvas.line(x1: plot.x + plot.width, y1: plot.y, x2: plot.x + plot.width, y2: plot.y + plot.height, stroke: Palette.axis)
        for step in 0...4 {
            let fraction = Double(step) / 4
            canvas.text((Int(Double(addressMax) * fraction)).grouped, x: plot.x - 6, y: plot.y + plot.height - fraction * plot.height + 4, size: 9, anchor: "end")
            canvas.text((Int(Double(podsMax) * fraction)).grouped, x: plot.x + plot.width + 6, y: plot.y + plot.height - fraction * plot.height + 4, size: 9)
            canvas.text("\(Int(end * fraction)) s", x: x(end * fraction), y: plot.y + plot.height + 16, size: 9, anchor: "middle")
            canvas.line(x1: plot.x, y1: plot.y + plot.height - fraction * plot.height, x2: plot.x + plot.width, y2: plot.y + plot.height - fraction * plot.height, stroke: "#dddddd", width: 0.5)
        }
        canvas.text("addresses", x: 20, y: plot.y - 10, size: 10, weight: "bold")
        canvas.text("pods waiting", x: plot.x + plot.width + 6, y: plot.y - 10, size: 10, weight: "bold")
        canvas.text("time (seconds)", x: plot.x + plot.width / 2, y: plot.y + plot.height + 34, size: 10, anchor: "middle", weight: "bold")

        // Events of the timeline, and the first exhaustion.
        // Labels staggered in three rows so that close events stay readable.
        for (index, event) in (input.events ?? []).enumerated() where Double(event.at) <= end {
            let label = event.type + ((event.nodeGroup ?? event.workload).map { " \($0)" } ?? "")
            canvas.line(x1: x(Double(event.at)), y1: plot.y, x2: x(Double(event.at)), y2: plot.y + plot.height, stroke: "#777777", dash: "3 3")
            canvas.text(label, x: x(Double(event.at)) + 3, y: plot.y + 10 + Double(index % 3) * 12, size: 9, fill: "#444444")
        }
        if let exhausted = result.events.firstExhaustionAt {
            canvas.line(x1: x(Double(exhausted)), y1: plot.y, x2: x(Double(exhausted)), y2: plot.y + plot.height, stroke: "#000000", width: 2)
            canvas.text("first exhaustion at \(exhausted) s", x: x(Double(exhausted)) + 3, y: plot.y + 52, size: 10, weight: "bold")
        }

        // Series: one per subnet, then held-unassigned and pods waiting.
        var legend: [(String, String, String?)] = []
        for (index, subnet) in result.subnets.enumerated() {
            let colour = Palette.lineColours[index % Palette.lineColours.count]
            let dash = Palette.dashes[index % Palette.dashes.count]
            canvas.polyline(zip(times, subnet.freeAddresses).map { (x($0), yAddresses($1)) }, stroke: colour, dash: dash)
            legend.append((colour, "free in \(subnet.subnetId)", dash))
        }
        canvas.polyline(zip(times, held).map { (x($0), yAddresses($1)) }, stroke: "#999999", width: 2.5, dash: "1 2")
        legend.append(("#999999", "held by nodes, unassigned", "1 2"))
        canvas.polyline(zip(times, waiting).map { (x($0), yPods($1)) }, stroke: "#000000", width: 2.5, dash: "10 3 2 3")
        legend.append(("#000000", "pods waiting (right axis)", "10 3 2 3"))
        var legendY = plot.y + plot.height + 56
        for (index, entry) in legend.enumerated() {
            let column = Double(index % 3)
            if index > 0 && index % 3 == 0 { legendY += 20 }
            let lx = 20 + column * 320
            canvas.line(x1: lx, y1: legendY - 4, x2: lx + 30, y2: legendY - 4, stroke: entry.0, width: 2.5, dash: entry.2)
            canvas.text(entry.1, x: lx + 36, y: legendY, size: 10)
        }
        let events = result.events
        canvas.text(
            "EC2 calls: \(events.ec2Calls.total.grouped) (\(events.failedEc2Calls.total.grouped) refused) · failed node launches: \(events.failedNodeLaunches) · "
                + "peak addresses held \(result.summary.peakAddressesHeld.grouped) · peak pods waiting \(result.summary.peakPodsPending.grouped)",
            x: 20, y: legendY + 26, size: 10)
        let description = "\(result.subnets.count) subnet\(result.subnets.count == 1 ? "" : "s") over \(Int(end)) s. "
            + (events.firstExhaustionAt.map { "A subnet first ran out at \($0) s. " } ?? "No subnet ran out. ")
            + "Peak addresses held \(result.summary.peakAddressesHeld), of which unassigned \(result.summary.peakHeldUnassigned); "
            + "peak pods waiting \(result.summary.peakPodsPending); \(events.failedNodeLaunches) failed node launches."
        return canvas.document(title: title, description: description)
    }
}
