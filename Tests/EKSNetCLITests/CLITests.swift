import Foundation
import Testing

/// The built `eksnet` binary, run as an engineer would.
@Suite struct CLITests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func binary() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("eksnet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    func eksnet(_ arguments: String..., input: String? = nil) throws -> Run {
        try eksnetArray(arguments, input: input)
    }

    @Test(arguments: [
        (["m5.large"], "29"), (["m5.4xlarge"], "110"), (["m5.large", "--cni-prefix-delegation-enabled"], "110"),
        (["m5.large", "--cni-prefix-delegation-enabled", "--show-max-allowed"], "434"),
        (["--instance-type", "m5.xlarge", "--cni-custom-networking-enabled", "--cni-prefix-delegation-enabled", "--show-max-allowed"], "674"),
        (["m5.large", "--cni-prefix-delegation-enabled", "--show-max-allowed", "--cni-version", "1.8.0"], "29"),
        (["p5.48xlarge"], "100"),
    ])
    func maxPodsLikeTheCalculator(arguments: [String], expected: String) throws {
        let process = try eksnetArray(["max-pods"] + arguments)
        #expect(process.status == 0, "\(process.errors)")
        #expect(process.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        #expect(process.errors.contains("ENIs ×"))
    }

    func eksnetArray(_ arguments: [String], input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self))
    }

    @Test func badUsageExitsTwo() throws {
        let unknown = try eksnet("max-pods", "m5.larg")
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("did you mean m5.large"))
        #expect(try eksnet("max-pods", "m5.large", "--cni-version", "v1.10.0").status == 2)
        #expect(try eksnet("max-pods", "hpc6id.32xlarge", "--cni-custom-networking-enabled").status == 2)
        #expect(try eksnet("max-pods", "m5.large", "--bogus").status == 2)
        #expect(try eksnet("plan", "check", "does-not-exist.json").status == 2)
        #expect(try eksnet("plan", "check", "-", input: "{not json").status == 2)
    }

    @Test func instanceTypesTableAndJSON() throws {
        let table = try eksnet("instance-types", "--family", "m5")
        #expect(table.status == 0)
        #expect(table.output.hasPrefix("TYPE"))
        #expect(table.output.contains("m5.large"))
        let json = try eksnet("instance-types", "--family", "t3", "--json")
        let items = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(items?.count == 7)
    }

    @Test func rulesListOneRuleAndJSON() throws {
        let table = try eksnet("rules", "--severity", "error")
        #expect(table.status == 0)
        #expect(table.output.hasPrefix("RULE"))
        #expect(table.output.contains("SUB-002") && !table.output.contains("SUB-003"))
        let one = try eksnet("rules", "cps-004")
        #expect(one.status == 0)
        #expect(one.output.hasPrefix("CPS-004 (error, checked)"))
        #expect(one.output.contains("source:    EKS-NET https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html"))
        let json = try eksnet("rules", "--json")
        let rules = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect((rules?.count ?? 0) > 80)
        #expect(try eksnet("rules", "NOPE-001").status == 2)
    }

    @Test func planCheckExitsOneOnErrors() throws {
        let broken = try eksnet("plan", "check", "examples/broken.json")
        #expect(broken.status == 1)
        #expect(broken.output.contains("blocked"))
        #expect(broken.output.contains("ERROR CPS-001 /clusterSubnetIds"))
        let fine = try eksnet("plan", "check", "examples/cloudformation-2az.json")
        #expect(fine.status == 0)
        #expect(fine.output.contains("ready-with-warnings"))
        let json = try eksnet("plan", "check", "examples/eksctl-3az.json", "--json")
        let evaluation = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(evaluation?["verdict"] as? String == "ready-with-warnings")
    }

    @Test func tagsAsShellCommands() throws {
        let shell = try eksnet("tags", "examples/broken.json", "--format", "shell")
        #expect(shell.status == 0)
        #expect(shell.output.hasPrefix("#!/bin/sh\n"))
        #expect(shell.output.contains("aws ec2 delete-tags --region us-east-1 --resources subnet-priv-a --tags Key=kubernetes.io/role/elb"))
        let request = #"{"clusterName":"prod-a","subnets":[{"subnetId":"subnet-1","availabilityZone":"us-east-1a","cidrBlock":"10.0.0.0/24","defaultRoute":"igw"}]}"#
        let fromRequest = try eksnet("tags", "-", "--format", "shell", input: request)
        #expect(fromRequest.output.contains("aws ec2 create-tags --resources subnet-1 --tags Key=kubernetes.io/role/elb,Value=1"))
    }

    @Test func ipPoolMatchesTheDocs() throws {
        let run = try eksnet("ip-pool", "t3.small", "--pods", "5", "--json")
        #expect(run.status == 0)
        let state = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
        #expect(state?["enis"] as? Int == 3)
        #expect(state?["totalIps"] as? Int == 9)
        #expect(state?["unusedIps"] as? Int == 4)
        // The same document as GET /v1/instance-types/t3.small/ip-pool?pods=5: settings and version included.
        #expect(state?["cniVersion"] as? String == "1.20.0")
        #expect((state?["settings"] as? [String: Any])?["warmEniTarget"] as? Int == 1)
        let text = try eksnet("ip-pool", "t3.small", "--pods", "58", "--prefix-delegation")
        #expect(text.output.contains("prefixes per ENI:     3, 2"))
    }

    @Test func simulateSummarises() throws {
        let input = #"{"durationSeconds":300,"subnets":[{"subnetId":"s","availabilityZone":"us-east-1a","cidrBlock":"10.0.0.0/24"}],"nodeGroups":[{"name":"ng","instanceType":"m5.large","subnetIds":["s"],"nodes":2}],"workloads":[{"name":"w","nodeGroup":"ng","pods":30}]}"#
        let run = try eksnet("simulate", "-", input: input)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("SUBNET"))
        #expect(run.output.contains("EC2 calls:"))
        #expect(run.output.contains("WARM_IP_TARGET=5"))
    }

    @Test func layoutAsTableAndCloudFormation() throws {
        let table = try eksnet("layout", "examples/workload.json")
        #expect(table.status == 0, "\(table.errors)")
        #expect(table.output.contains("evaluated ready (0 errors"))
        let template = try eksnet("layout", "examples/workload.json", "--format", "cloudformation")
        #expect(template.output.hasPrefix("Resources:"))
        #expect(template.output.contains("AWS::EC2::NatGateway"))
    }

    @Test func auditFromAWSCLIOutput() throws {
        let fixtures = "Tests/Fixtures/audit/broken"
        let run = try eksnetArray([
            "audit", "--cluster-name", "prod", "--vpcs", "\(fixtures)/describe-vpcs.json", "--subnets", "\(fixtures)/describe-subnets.json",
            "--route-tables", "\(fixtures)/describe-route-tables.json", "--dns-hostnames", "\(fixtures)/dns-hostnames.json",
            "--dns-support", "\(fixtures)/dns-support.json",
        ])
        #expect(run.status == 1)
        #expect(run.output.contains("ERROR DNS-002"))
        let fine = try eksnetArray([
            "audit", "--vpcs", "Tests/Fixtures/audit/cloudformation/describe-vpcs.json",
            "--subnets", "Tests/Fixtures/audit/cloudformation/describe-subnets.json",
            "--route-tables", "Tests/Fixtures/audit/cloudformation/describe-route-tables.json", "--json",
        ])
        #expect(fine.status == 0, "\(fine.errors)")
    }

    /// One way to ask for JSON on every command, help on every option, and --version.
    @Test(arguments: [
        ["max-pods", "m5.large"], ["instance-types", "--family", "m5"], ["plan", "check", "examples/eksctl-3az.json"],
        ["ip-pool", "m5.large", "--pods", "10"], ["layout", "examples/workload.json"], ["tags", "examples/broken.json"],
        ["rules"],
        ["audit", "--vpcs", "Tests/Fixtures/audit/cloudformation/describe-vpcs.json",
            "--subnets", "Tests/Fixtures/audit/cloudformation/describe-subnets.json",
            "--route-tables", "Tests/Fixtures/audit/cloudformation/describe-route-tables.json"],
    ])
    func everyCommandAnswersJSONWithOutputJSON(arguments: [String]) throws {
        for flag in [["--output", "json"], ["-o", "json"]] {
            let run = try eksnetArray(arguments + flag)
            #expect(run.status == 0, "\(arguments): \(run.errors)")
            #expect((try? JSONSerialization.jsonObject(with: Data(run.output.utf8))) != nil, "\(arguments) \(flag): not JSON")
        }
    }

    @Test func everyOptionHasHelpText() throws {
        for command in ["max-pods", "instance-types", "plan check", "ip-pool", "simulate", "layout", "audit", "rules", "tags"] {
            let run = try eksnetArray(command.split(separator: " ").map(String.init) + ["--help"])
            let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let start = lines.firstIndex(of: "OPTIONS:") else { continue }
            for (index, line) in lines.enumerated().dropFirst(start + 1) where line.hasPrefix("  -") {
                // An option's help follows its names and value on the same line, or is on the next line.
                let sameLine = line.range(of: #"^\s+(-[^\s,]+,? ?)+( <[^>]+>)?\s+\S"#, options: .regularExpression) != nil
                let next = lines.indices.contains(index + 1) ? lines[index + 1] : ""
                #expect(sameLine || next.hasPrefix("                          "), "\(command): \(line) has no help")
            }
        }
    }

    @Test func versionNamesTheReleaseAndTheCatalog() throws {
        let run = try eksnet("--version")
        #expect(run.status == 0)
        #expect(run.output.contains("eksnet 0.1.0"))
        #expect(run.output.contains("instance types: moto 5.2.5 (2026-10-27)"))
        #expect(run.output.contains("default VPC CNI version: 1.20.0"))
    }

    @Test func instanceTypesFileTeachesANewType() throws {
        let file = "Tests/Fixtures/instance-types/describe-instance-types.json"
        let run = try eksnet("max-pods", "zz9.large", "--instance-types-file", file)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == "59")
        let broken = try eksnet("max-pods", "m5.large", "--instance-types-file", "examples/broken.json")
        #expect(broken.status == 2)
        #expect(broken.errors.contains("--instance-types-file examples/broken.json: document 1, /InstanceTypes: missing"), "\(broken.errors)")
    }
}
