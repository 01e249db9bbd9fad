/// A small SVG writer: elements appended as text, every piece of outside text escaped, numbers rounded to a tenth.
/// The palette is chosen to stay apart in grayscale (distinct lightness), with patterns where two fills must differ
/// without colour.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters have no place in XML 1.0.
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20, character != "\n", character != "\t" { continue }
                out.append(character)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        let strokeAttribute = stroke.map { " stroke=\"\($0)\" stroke-width=\"0.5\"" } ?? ""
        let open = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(width, 0)))\" height=\"\(Self.number(height))\" fill=\"\(fill)\"\(strokeAttribute)"
        if let title {
            body.append(open + "><title>\(Self.escape(title))</title></rect>")
        } else {
            body.append(open + "/>")
        }
    }

    mutating func text(_ content: String, x: Double, y: Double, size: Double = 11, anchor: String = "start", weight: String = "normal", fill: String = "#1a1a1a") {
        body.append(
            "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(Self.escape(content))</text>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#1a1a1a", width: Double = 1, dash: String? = nil) {
        let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append(
            "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"\(dashAttribute)/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil) {
        guard !points.isEmpty else { return }
        let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"\(dashAttribute)/>")
    }

    mutating func raw(_ element: String) { body.append(element) }

    /// The document: `<title>` and `<desc>` first, for screen readers; shared patterns in `<defs>`.
    func document(title: String, description: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.number(width))" height="\(Self.number(height))" viewBox="0 0 \(Self.number(width)) \(Self.number(height))" role="img" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <title>\(Self.escape(title))</title>
        <desc>\(Self.escape(description))</desc>
        <defs>
        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#9db4dc"/><line x1="0" y1="0" x2="0" y2="6" stroke="#3b5b94" stroke-width="2"/></pattern>
        <pattern id="dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#f4f4f4"/><circle cx="2.5" cy="2.5" r="1" fill="#555"/></pattern>
        </defs>
        <rect width="100%" height="100%" fill="#ffffff"/>
        \(body.joined(separator: "\n"))
        </svg>
        """
    }

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

/// Fills that differ in lightness (readable in grayscale) and, for the two middle ones, in pattern.
enum Palette {
    static let used = "#1f3b73"
    static let projected = "url(#hatch)"
    static let free = "#e6edf7"
    static let reserved = "#000000"
    static let prefixReservation = "url(#dots)"
    static let axis = "#333333"
    /// Subnet roles in the VPC band: darkest for public, lightest for pods.
    static func role(_ role: String) -> String {
        switch role {
        case "public": "#2b2b2b"
        case "cluster": "#5a5a8a"
        case "private": "#6f8fc7"
        case "fargate": "#a0b89a"
        default: "#d9c99a"  // pods
        }
    }
    /// Line styles for series: dash patterns so that lines stay apart without colour.
    static let dashes = [nil, "6 3", "2 2", "8 3 2 3", "1 3", "10 4"]
    static let lineColours = ["#1f3b73", "#8a3b12", "#2e6b30", "#6b2e6b", "#4d4d4d", "#b06d00"]
}
