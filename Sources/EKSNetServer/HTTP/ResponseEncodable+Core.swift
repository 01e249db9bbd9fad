import EKSNetCore
import Hummingbird

// The core's answers are returned by handlers as values and written by the context's response encoder.
extension CapacityReport: ResponseEncodable {}
extension LayoutProposal: ResponseEncodable {}
extension SubnetTagPlan: ResponseEncodable {}
extension PlanRuleDescription: ResponseEncodable {}
extension NodeIPPoolReport: ResponseEncodable {}
