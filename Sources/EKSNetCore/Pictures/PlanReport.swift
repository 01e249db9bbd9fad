/// A plan's evaluation as one self-contained HTML page: the verdict, the findings with their fixes and sources, the
/// budget of every subnet as bars, the address map inline, and the tag commands — no external asset, no script, so
/// that a portal can embed it and an engineer can open the file.
public enum PlanReport {
    public static func render(plan: ClusterPlan, evaluation: PlanEvaluation, aws: AWSData) -> String {
        let escape = SVGCanvas.escape
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(plan.clusterName)): EKS network plan — \(escape(evaluation.verdict.rawValue))</title>
            <style>
            body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 2em; color: #1a1a1a; max-width: 1100px; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            .verdict { display: inline-block; padding: 0.2em 0.6em; border: 2px solid #1a1a1a; font-weight: bold; }
            .blocked { background: #1a1a1a; color: #ffffff; } .ready-with-warnings { background: #d9d9d9; } .ready { background: #ffffff; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
            th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid #ddd; vertical-align: top; }
            .error { font-weight: bold; } .warning { font-style: italic; }
            .bar { position: relative; height: 14px; background: #e6edf7; border: 1px solid #333; width: 320px; }
            .bar span { position: absolute; top: 0; height: 14px; }
            .used { background: #1f3b73; } .projected { background: repeating-linear-gradient(45deg, #9db4dc 0 3px, #3b5b94 3px 5px); }
            svg { max-width: 100%; height: auto; }
            pre { background: #f4f4f4; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            </style>
            </head>
            <body>
            <h1>\(escape(plan.clusterName)) in \(escape(plan.region))</h1>
            <p><span class="verdict \(escape(evaluation.verdict.rawValue))">\(escape(evaluation.verdict.rawValue))</span>
             \(evaluation.summary.errors) errors, \(evaluation.summary.warnings) warnings, \(evaluation.summary.info) notes</p>

            """
        if !evaluation.assumptions.isEmpty {
            html += "<h2>Assumptions</h2>\n<ul>\n" + evaluation.assumptions.map { "<li>\(escape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        html += "<h2>Findings</h2>\n<table>\n<tr><th>Severity</th><th>Rule</th><th>Where</th><th>What</th><th>Fix</th></tr>\n"
        for finding in evaluation.findings {
            let rule = PlanRuleCatalog.rule(finding.ruleId)
            let link = rule?.sources.first.map { "<a href=\"\(escape($0.url))\">\(escape(finding.ruleId))</a>" } ?? escape(finding.ruleId)
            html += "<tr class=\"\(escape(finding.severity.rawValue))\"><td>\(escape(finding.severity.rawValue))</td><td>\(link)</td>"
                + "<td><code>\(escape(finding.pointer))</code></td><td>\(escape(finding.message))</td><td>\(escape(finding.fix))</td></tr>\n"
        }
        if evaluation.findings.isEmpty { html += "<tr><td colspan=\"5\">No findings.</td></tr>\n" }
        html += "</table>\n<h2>Address budget per subnet</h2>\n<table>\n"
            + "<tr><th>Subnet</th><th>Zone</th><th>CIDR</th><th>In use + projected of usable</th><th>Headroom</th></tr>\n"
        for budget in evaluation.subnets {
            let usable = max(1, budget.usableAddresses)
            let used = min(100, Double(budget.addressesInUse) / Double(usable) * 100)
            let projected = min(100 - used, Double(budget.projectedAddresses) / Double(usable) * 100)
            html += "<tr><td>\(escape(budget.subnetId))</td><td>\(escape(budget.availabilityZone))</td><td>\(escape(budget.cidrBlock))</td>"
                + "<td><div class=\"bar\" role=\"img\" aria-label=\"\(budget.addressesInUse) in use, \(budget.projectedAddresses) projected of \(budget.usableAddresses)\">"
                + "<span class=\"used\" style=\"left: 0; width: \(SVGCanvas.number(used))%\"></span>"
                + "<span class=\"projected\" style=\"left: \(SVGCanvas.number(used))%; width: \(SVGCanvas.number(projected))%\"></span></div> "
                + "\(budget.addressesInUse.grouped) + \(budget.projectedAddresses.grouped) of \(budget.usableAddresses.grouped)</td>"
                + "<td\(budget.headroomAddresses < 0 ? " class=\"error\"" : "")>\(budget.headroomAddresses.grouped)</td></tr>\n"
        }
        html += "</table>\n<h2>Address map</h2>\n"
            + AddressMap.render(plan: plan, evaluation: evaluation, aws: aws) + "\n"
        html += "<h2>Subnet tags</h2>\n"
        if evaluation.tags.commands.isEmpty {
            html += "<p>No tag to add or remove.</p>\n"
        } else {
            html += "<pre>" + evaluation.tags.commands.map(escape).joined(separator: "\n") + "</pre>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }
}
