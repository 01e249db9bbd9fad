import EKSNetCore
import Hummingbird

/// `POST /v1/subnet-tags`: tag suggestions, as JSON or (with `Accept: text/x-shellscript`) as AWS CLI commands.
struct SubnetTagsController: Sendable {

    var endpoints: RouteCollection<EKSNetRequestContext> {
        let routes = RouteCollection(context: EKSNetRequestContext.self)
        routes.post { request, context in
            let plan = try await request.decode(as: SubnetTagRequest.self, context: context).suggest()
            if Self.wantsShellScript(request) {
                return Response(
                    status: .ok, headers: [.contentType: "text/x-shellscript; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: AWSCLICommands.shellScript(plan.commands))))
            }
            return try plan.response(from: request, context: context)
        }
        return routes
    }

    static func wantsShellScript(_ request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.lowercased().contains("text/x-shellscript") }
    }
}
