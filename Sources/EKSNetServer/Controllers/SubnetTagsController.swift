import EKSNetCore
import Hummingbird

/// `POST /v1/subnet-tags`: tag suggestions, as JSON or (with `Accept: text/x-shellscript`) as AWS CLI commands.
struct SubnetTagsController: Sendable {
    let body: JSONBody

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, _ in
            let input = try await body.decode(SubnetTagRequest.self, from: request)
            let plan = try input.suggest()
            if Self.wantsShellScript(request) {
                return Response(
                    status: .ok, headers: [.contentType: "text/x-shellscript; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: AWSCLICommands.shellScript(plan.commands))))
            }
            return try JSONWire.response(plan)
        }
        return routes
    }

    static func wantsShellScript(_ request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.lowercased().contains("text/x-shellscript") }
    }
}
