import Hummingbird
import Synchronization

/// The paths the router serves and their methods, read from the router itself once every route is added, so that
/// an unmatched method on a known path gets 405 with `Allow`. The routes are written in one place only: where the
/// application registers them.
final class RouteTable: Sendable {
    struct Entry: Sendable {
        /// Path segments; `*` matches one segment.
        let segments: [Substring]
        let methods: [HTTPRequest.Method]
    }

    private let entries = Mutex<[Entry]>([])

    /// Takes the router's routes (call once they are all added); path parameters match any one segment.
    func load<Context>(from router: Router<Context>) {
        var methods: [String: [HTTPRequest.Method]] = [:]
        var order: [String] = []
        for route in router.routes {
            let path = route.path.description
            if methods[path] == nil { order.append(path) }
            methods[path, default: []].append(route.method)
        }
        let loaded = order.map { path in
            Entry(
                segments: path.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "*" : $0 },
                methods: methods[path] ?? [])
        }
        entries.withLock { $0 = loaded }
    }

    /// The `Allow` header of a known path: its routes' methods, with HEAD wherever GET is, and OPTIONS.
    func allowHeader(forPath path: String) -> String? {
        guard let methods = allowedMethods(forPath: path) else { return nil }
        var names: [String] = []
        for method in methods + (methods.contains(.get) ? [.head] : []) + [.options] where !names.contains(method.rawValue) {
            names.append(method.rawValue)
        }
        return names.joined(separator: ", ")
    }

    /// The methods allowed on a path, or nil when no route has that path.
    func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for entry in entries.withLock({ $0 }) where entry.segments.count == segments.count {
            if zip(entry.segments, segments).allSatisfy({ $0 == "*" || $0 == $1 }) {
                methods += entry.methods
            }
        }
        return methods.isEmpty ? nil : methods
    }
}
