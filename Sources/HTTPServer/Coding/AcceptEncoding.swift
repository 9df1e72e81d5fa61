/// Which coding a response gets, from the request's `Accept-Encoding` (RFC 9110 §12.5.3).
///
/// - No Accept-Encoding field: identity. The RFC lets a server pick any coding then, but a
///   client that says nothing may not be able to decode one (curl without `--compressed`).
/// - An empty field value: identity only.
/// - Otherwise each element is a coding, `identity` or `*`, with an optional weight
///   `;q=` (RFC 9110 §12.4.2: 0 to 1 with at most three decimals; 0 means "not acceptable").
///   A coding takes its own weight, else the weight of `*`, else 0. `x-gzip` is `gzip`.
///   Identity takes its own weight, else that of `*`: it is acceptable unless refused by
///   `identity;q=0` or by `*;q=0` without an identity element, but when neither names it, it
///   ranks below every coding listed with a weight above 0 (`gzip;q=0.5` asks for gzip).
/// - The acceptable coding with the highest weight wins; gzip before deflate, and either
///   before identity, when weights are equal (the server prefers to send fewer bytes).
/// - When nothing is acceptable (`identity;q=0, gzip;q=0, deflate;q=0`), the answer is
///   identity: RFC 9110 §12.5.3 allows 406 there, but an unencoded answer interoperates
///   better and is what servers send.
///
/// Elements whose weight does not parse are ignored, as are parameters other than `q`.
enum AcceptEncoding {
    /// The preferred coding for a response to a request with these Accept-Encoding values;
    /// nil means identity.
    static func preferredCoding(_ values: [String]) -> HTTPContentCoding? {
        guard !values.isEmpty else { return nil }
        // `Accept-Encoding: identity` alone (Python's http.client sends it on every request)
        // accepts nothing but identity: answered without splitting or allocating.
        if values.count == 1 && HTTPByteClass.namesEqual(values[0], "identity") { return nil }
        var explicit: [HTTPContentCoding: Int] = [:]
        var identity: Int?
        var star: Int?
        for value in values {
            for element in Array(value.utf8).split(separator: HTTPByteClass.comma) {
                guard let (name, weight) = parseElement(element) else { continue }
                switch name {
                case "identity": identity = max(identity ?? 0, weight)
                case "*": star = max(star ?? 0, weight)
                default:
                    if let coding = HTTPContentCoding(lowercasedToken: name) {
                        explicit[coding] = max(explicit[coding] ?? 0, weight)
                    }
                }
            }
        }
        let identityWeight = identity ?? star ?? 0
        var best: (coding: HTTPContentCoding, weight: Int)?
        for coding in HTTPContentCoding.allCases {
            let weight = explicit[coding] ?? star ?? 0
            if weight > 0, weight > (best?.weight ?? 0) { best = (coding, weight) }
        }
        guard let best, best.weight >= identityWeight else { return nil }
        return best.coding
    }

    /// One list element: its lower-cased coding and its weight in thousandths (1000 when no
    /// weight is given); nil for an empty or malformed element.
    static func parseElement(_ element: ArraySlice<UInt8>) -> (String, Int)? {
        var parts = element.split(separator: HTTPByteClass.semicolon, omittingEmptySubsequences: false)[...]
        let name = HTTPConnectionSemantics.trimOWS(parts.removeFirst())
        guard !name.isEmpty, name.allSatisfy({ HTTPByteClass.isToken($0) }) else { return nil }
        var weight = 1000
        for parameter in parts {
            let trimmed = HTTPConnectionSemantics.trimOWS(parameter)
            guard trimmed.count >= 2, HTTPByteClass.lowercased(trimmed.first!) == 0x71,
                  trimmed[trimmed.startIndex + 1] == HTTPByteClass.equals  // "q="
            else { continue }
            guard let parsed = qvalue(trimmed.dropFirst(2)) else { return nil }
            weight = parsed
        }
        return (String(decoding: name.map(HTTPByteClass.lowercased), as: UTF8.self), weight)
    }

    /// RFC 9110 §12.4.2: `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in
    /// thousandths.
    static func qvalue(_ text: ArraySlice<UInt8>) -> Int? {
        guard let first = text.first, first == 0x30 || first == 0x31 else { return nil }
        var value = Int(first - 0x30) * 1000
        let rest = text.dropFirst()
        guard !rest.isEmpty else { return value }
        guard rest.first == 0x2E, rest.count <= 4 else { return nil }
        var scale = 100
        for digit in rest.dropFirst() {
            guard HTTPByteClass.isDigit(digit) else { return nil }
            value += Int(digit - 0x30) * scale
            scale /= 10
        }
        return value <= 1000 ? value : nil
    }
}
