/// Runs a timeline again under other warm-pool settings and says, with the numbers, what each would change.
extension IPAllocationSimulator {
    struct Candidate {
        var label: String
        var apply: (inout WarmPoolSettings, InstanceType) -> Bool
    }

    static func compare(_ setup: SimulationSetup, baseline: SimulationResult) -> ([SimulationResult.Alternative], [String]) {
        // A typical node's pods at peak sizes the minimum target.
        let podsPerNode = setup.groups.indices.map { group -> Int in
            let nodes = baseline.nodeGroups[group].nodes.max() ?? 0
            let assigned = baseline.nodeGroups[group].assigned.max() ?? 0
            return nodes > 0 ? (assigned + nodes - 1) / nodes : 0
        }.max() ?? 0
        let minimum = max(10, podsPerNode)
        var candidates: [Candidate] = []
        let anyWarmENI = setup.groups.contains { !$0.settings.ipTargetMode && !$0.prefixMode }
        if anyWarmENI {
            candidates.append(Candidate(label: "WARM_IP_TARGET=5, MINIMUM_IP_TARGET=\(minimum)") { settings, _ in
                settings.warmIpTarget = 5
                settings.minimumIpTarget = minimum
                return true
            })
            candidates.append(Candidate(label: "WARM_ENI_TARGET=0, WARM_IP_TARGET=2") { settings, _ in
                settings.warmEniTarget = 0
                settings.warmIpTarget = 2
                settings.minimumIpTarget = nil
                return true
            })
        }
        if setup.groups.contains(where: { !$0.prefixMode && $0.type.prefixDelegationSupported }) {
            candidates.append(Candidate(label: "ENABLE_PREFIX_DELEGATION=true, WARM_PREFIX_TARGET=1") { settings, type in
                guard type.prefixDelegationSupported else { return false }
                settings.prefixDelegation = true
                settings.warmPrefixTarget = 1
                settings.warmIpTarget = nil
                settings.minimumIpTarget = nil
                return true
            })
        }
        if setup.groups.contains(where: { $0.settings.ipTargetMode && $0.settings.warmIPs == 0 }) {
            candidates.append(Candidate(label: "WARM_IP_TARGET=1 (with the same MINIMUM_IP_TARGET)") { settings, _ in
                guard settings.warmIPs == 0 else { return false }
                settings.warmIpTarget = 1
                return true
            })
        }

        var alternatives: [SimulationResult.Alternative] = []
        var advice: [String] = []
        for candidate in candidates {
            var changed = setup
            var any = false
            for index in changed.groups.indices {
                var settings = changed.groups[index].settings
                guard candidate.apply(&settings, changed.groups[index].type) else { continue }
                any = true
                var maxPods = changed.groups[index].maxPods
                if settings.prefixDelegation && !setup.groups[index].prefixMode && setup.input.nodeGroups[index].maxPods == nil {
                    // Prefix delegation comes with the calculator's raised max pods.
                    let options = MaxPodsOptions(
                        customNetworking: settings.customNetworking, prefixDelegation: true, maxEni: settings.maxEni)
                    maxPods = (try? MaxPods.recommended(for: changed.groups[index].type, options: options).maxPods) ?? maxPods
                }
                changed.groups[index].policy = IPAMDPolicy(
                    instanceType: changed.groups[index].type, settings: settings, maxPods: maxPods,
                    cniVersion: changed.groups[index].cni.version,
                    subnetDiscoveryEnabled: changed.groups[index].cni.subnetDiscoveryEnabled)
            }
            guard any else { continue }
            if Task.isCancelled { break }
            let result = timeline(changed)
            let alternative = SimulationResult.Alternative(
                settings: candidate.label, peakAddressesHeld: result.summary.peakAddressesHeld,
                peakHeldUnassigned: result.summary.peakHeldUnassigned, peakPodsPending: result.summary.peakPodsPending,
                podsPendingAtEnd: result.summary.podsPendingAtEnd, firstExhaustionAt: result.events.firstExhaustionAt,
                ec2Calls: result.events.ec2Calls)
            alternatives.append(alternative)
            advice.append(sentence(for: alternative, baseline: baseline))
        }
        if let exhausted = baseline.events.firstExhaustionAt {
            advice.insert("a subnet ran out of addresses at \(exhausted) s (\(baseline.events.insufficientAddressErrors) failed allocations)", at: 0)
        }
        return (alternatives, advice)
    }

    static func sentence(for alternative: SimulationResult.Alternative, baseline: SimulationResult) -> String {
        let before = baseline.summary.peakAddressesHeld
        let after = alternative.peakAddressesHeld
        let difference = before - after
        var text = "\(alternative.settings) would hold \(abs(difference).grouped) \(difference >= 0 ? "fewer" : "more") "
            + "addresses at peak (\(before.grouped) → \(after.grouped))"
        let pendingBefore = baseline.summary.peakPodsPending
        if alternative.peakPodsPending != pendingBefore {
            text += ", with \(alternative.peakPodsPending.grouped) pods waiting at worst instead of \(pendingBefore.grouped)"
        } else if pendingBefore == 0 {
            text += ", with no pod waiting"
        }
        let callsBefore = baseline.events.ec2Calls.total
        let callsAfter = alternative.ec2Calls.total
        text += ", and \(callsAfter.grouped) EC2 calls instead of \(callsBefore.grouped)"
        if let exhausted = alternative.firstExhaustionAt {
            text += "; a subnet still runs out at \(exhausted) s"
        } else if baseline.events.firstExhaustionAt != nil {
            text += "; no subnet runs out"
        }
        return text
    }
}
