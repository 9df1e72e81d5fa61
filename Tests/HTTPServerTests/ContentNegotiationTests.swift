import Testing
@testable import HTTPServer

/// Accept-Encoding (RFC 9110 §12.5.3) and Content-Encoding lists, without sockets.
@Suite struct ContentNegotiationTests {
    static let gzip: HTTPContentCoding? = .gzip
    static let deflate: HTTPContentCoding? = .deflate
    static let identity: HTTPContentCoding? = nil

    @Test(arguments: [
        // What clients send: tritonclient (one coding), aiohttp and Python requests, curl, browsers.
        ("gzip", gzip), ("deflate", deflate), ("gzip, deflate", gzip), ("deflate, gzip", gzip),
        ("gzip, deflate, br, zstd", gzip), ("deflate, gzip;q=1.0, *;q=0.5", gzip),
        // Weights decide; equal weights prefer gzip, then deflate, then identity.
        ("gzip;q=0.5, deflate", deflate), ("deflate;q=0.9, gzip;q=0.8", deflate),
        ("gzip;q=0.5, deflate;q=0.5", gzip), ("gzip;q=0.001", gzip), ("GZIP;Q=1", gzip), ("x-gzip", gzip), ("X-Gzip;q=0.3", gzip),
        // q=0 refuses.
        ("gzip;q=0", identity), ("gzip;q=0, deflate", deflate), ("gzip;q=0.000, deflate;q=0.0", identity),
        // "*" stands for every coding not listed.
        ("*", gzip), ("*;q=0.5", gzip), ("gzip;q=0, *", deflate), ("*;q=0, deflate;q=0.1", deflate), ("*;q=0", identity),
        // Identity wins when the client prefers it, and is always acceptable unless refused.
        ("identity", identity), ("gzip;q=0.5, identity", identity), ("gzip;q=0.5, identity;q=0.5", gzip),
        ("gzip, identity;q=0", gzip), ("br", identity), ("br, identity;q=0", identity),
        // An empty value means identity only (§12.5.3); empty elements are not elements.
        ("", identity), (" , ,gzip , ", gzip),
        // Malformed weights make their element ignored; other parameters are ignored.
        ("gzip;q=2", identity), ("gzip;q=1.5", identity), ("gzip;q=0.1234", identity), ("gzip;q=abc", identity),
        ("gzip;q=", identity), ("gzip;q=1.000", gzip), ("gzip;q=.5", identity), ("gzip;level=9", gzip),
        ("gzip ; q=0.4 , deflate ; q=0.3", gzip), ("gz ip", identity), ("gzip;q=0.5;q=0", identity),
    ] as [(String, HTTPContentCoding?)])
    func acceptEncoding(_ value: String, _ expected: HTTPContentCoding?) {
        #expect(AcceptEncoding.preferredCoding([value]) == expected, "Accept-Encoding: \(value)")
    }

    @Test func noFieldMeansIdentity() {
        #expect(AcceptEncoding.preferredCoding([]) == nil)
    }

    @Test func severalFieldsFormOneList() {
        #expect(AcceptEncoding.preferredCoding(["gzip;q=0", "deflate"]) == .deflate)
        #expect(AcceptEncoding.preferredCoding(["identity;q=0", "*;q=0.1"]) == .gzip)
    }

    @Test func qvalueGrammar() {
        let cases: [(String, Int?)] = [
            ("0", 0), ("1", 1000), ("0.5", 500), ("0.05", 50), ("0.001", 1), ("1.", 1000), ("0.", 0),
            ("1.0", 1000), ("1.001", nil), ("0.0001", nil), ("2", nil), ("-0", nil), ("", nil), ("0,5", nil),
        ]
        for (text, expected) in cases {
            #expect(AcceptEncoding.qvalue(Array(text.utf8)[...]) == expected, "q=\(text)")
        }
    }

    @Test func contentEncodingLists() throws {
        #expect(try ContentEncodingField.codings(["gzip"]).get() == [.gzip])
        #expect(try ContentEncodingField.codings(["X-GZIP"]).get() == [.gzip])
        #expect(try ContentEncodingField.codings(["identity"]).get() == [])
        #expect(try ContentEncodingField.codings(["deflate, identity", "gzip"]).get() == [.deflate, .gzip])
        #expect(try ContentEncodingField.codings([" , gzip ,"]).get() == [.gzip])
    }

    @Test func unsupportedContentEncodings() {
        for values in [["br"], ["gzip, br"], ["compress"], ["zstd"], ["gzip, gzip, gzip"], ["gzip;q=1"]] {
            guard case .failure(let error) = ContentEncodingField.codings(values) else {
                Issue.record("Content-Encoding: \(values) was accepted")
                continue
            }
            #expect(error.status == 415)
        }
    }

    @Test func varyIsMergedOnce() {
        var headers = HTTPHeaders()
        HTTPResponseCompression.addVary(to: &headers)
        #expect(headers.values(for: "Vary") == ["Accept-Encoding"])
        HTTPResponseCompression.addVary(to: &headers)
        #expect(headers.values(for: "Vary") == ["Accept-Encoding"])
        var origin = HTTPHeaders([("Vary", "Origin"), ("vary", " Accept ")])
        HTTPResponseCompression.addVary(to: &origin)
        #expect(origin.values(for: "Vary") == ["Origin, Accept, Accept-Encoding"])
        var star = HTTPHeaders([("Vary", "*")])
        HTTPResponseCompression.addVary(to: &star)
        #expect(star.values(for: "Vary") == ["*"])
    }
}
