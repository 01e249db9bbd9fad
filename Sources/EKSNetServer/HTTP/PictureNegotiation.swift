import Hummingbird

/// Which picture, if any, the client prefers to JSON (`Accept`, RFC 9110 §12.5.1): `image/svg+xml` or `text/html`
/// when one of them has a higher quality than `application/json` (and than `*/*`, which means JSON here). A
/// browser's `text/html,…,*/*;q=0.8` gets the report page; curl's `*/*` and a missing header get JSON.
enum PictureFormat: String, Sendable {
    case svg = "image/svg+xml"
    case html = "text/html"

    var contentType: String { self == .svg ? "image/svg+xml" : "text/html; charset=utf-8" }

    static func requested(_ request: Request) -> PictureFormat? {
        guard let accept = request.headers[.accept] else { return nil }
        var quality: [String: Double] = [:]
        for item in accept.split(separator: ",").prefix(50) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)).map { min(1, max(0, $0)) } ?? 1
            }
            quality[type] = max(quality[type] ?? 0, q)
        }
        let json = max(quality["application/json"] ?? 0, quality["application/*"] ?? 0, quality["*/*"] ?? 0)
        let candidates = [PictureFormat.svg, .html].compactMap { format -> (PictureFormat, Double)? in
            guard let q = quality[format.rawValue], q > 0, q > json else { return nil }
            return (format, q)
        }
        return candidates.max { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 == .html) }?.0
    }

    static func notAcceptable(_ detail: String) -> Problem {
        Problem(type: "urn:eksnet:problem:not-acceptable", title: "No such picture", status: .notAcceptable, detail: detail)
    }

    /// The picture as a response (compressed when the client accepts gzip).
    func response(_ text: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        let vary = headers[.vary] ?? "Accept, Accept-Encoding"
        let body = ResponseCompression.body(ByteBuffer(string: text), headers: &headers)
        headers[.vary] = vary
        return Response(status: .ok, headers: headers, body: body)
    }
}
