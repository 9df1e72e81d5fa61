import Testing
@testable import HTTPServer

/// The request line: method token, target forms, path and query decoding, version, and the
/// empty lines a client may send before it.
@Suite struct ParserRequestLineTests {
    static func get(_ target: String, method: String = "GET") -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: h\r\n\r\n"
    }

    @Test(arguments: ["GET", "POST", "DELETE", "PATCH", "M-SEARCH", "X!#$%&'*+.^_`|~9"])
    func methodTokensAreKeptAsSent(method: String) {
        #expect(onlyRequest(Self.get("/", method: method))?.method == method)
    }

    @Test func methodsAreCaseSensitive() {
        #expect(onlyRequest(Self.get("/", method: "get"))?.method == "get")
    }

    @Test(arguments: ["G(ET", "GE T", "GET\t", "\"GET\"", "G:ET", "GÉT", "G\u{0}T"])
    func methodThatIsNotATokenIs400(method: String) {
        #expect(refusal("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    @Test(arguments: ["", " / HTTP/1.1", "GET", "GET /", "GET  / HTTP/1.1", "GET / HTTP/1.1 extra", "GET / HTTP/1.1 ",
                      "GET /a b HTTP/1.1", "GET\t/\tHTTP/1.1"])
    func malformedRequestLineIs400(line: String) {
        // An empty first line is skipped, so "" leaves "Host: h" as a request line.
        #expect(refusal("\(line)\r\nHost: h\r\n\r\n") == 400)
    }

    @Test func pathIsPercentDecodedAndPlusKept() throws {
        let request = try #require(onlyRequest(Self.get("/a%20b/c+d/%E2%82%AC/%2f")))
        #expect(request.path == "/a b/c+d/€//")
        #expect(request.target == "/a%20b/c+d/%E2%82%AC/%2f")
        #expect(request.query.isEmpty)
    }

    @Test func queryIsParsedAsFormData() throws {
        let request = try #require(onlyRequest(Self.get("/q?a=1&b=x+y&c=%26%3D&&d&e=&=f&a=2&g=h=i")))
        #expect(request.path == "/q")
        #expect(request.query == ["a=1", "b=x y", "c=&=", "d=", "e=", "=f", "a=2", "g=h=i"])
    }

    @Test func emptyQueryAndQuestionMarkInQuery() throws {
        #expect(onlyRequest(Self.get("/p?"))?.query == [])
        #expect(onlyRequest(Self.get("/p?x=a?b/c"))?.query == ["x=a?b/c"])
    }

    @Test(arguments: ["/%", "/%4", "/%zz", "/%G0", "/a%2", "/%C3%28", "/%FF", "/?a=%", "/?a=%ZZ", "/?%=1", "/?a=%E2%82"])
    func invalidPercentEncodingIs400(target: String) {
        #expect(refusal(Self.get(target)) == 400)
    }

    @Test(arguments: ["/a#frag", "/a b", "/a\"b", "/<x>", "/{x}", "/a|b", "/a\\b", "/a^b", "/a`b", "/é", "/\u{7f}"])
    func targetBytesOutsideRFC3986Are400(target: String) {
        #expect(refusal(Self.get(target)) == 400)
    }

    @Test func absoluteFormUsesItsPathAndQueryAndStillNeedsHost() throws {
        let request = try #require(onlyRequest(Self.get("http://example.com:8080/p%41th?q=1")))
        #expect(request.path == "/pAth")
        #expect(request.query == ["q=1"])
        #expect(request.target == "http://example.com:8080/p%41th?q=1")
        #expect(onlyRequest(Self.get("HTTPS://[::1]"))?.path == "/")
        #expect(onlyRequest(Self.get("http://h?x=y"))?.query == ["x=y"])
        #expect(refusal("GET http://example.com/ HTTP/1.1\r\n\r\n") == 400)
    }

    @Test(arguments: ["http://", "http:///p", "http://user@h/", "ftp://h/", "h:80", "example.com", "http://h\u{0}/", "http://h /", "http://h/[x]", "/[x]"])
    func otherTargetFormsAre400(target: String) {
        #expect(refusal(Self.get(target)) == 400)
    }

    @Test func emptySegmentsAreOriginForm() {
        // absolute-path = 1*( "/" segment ) and a segment may be empty (RFC 9112 §3.2.1).
        #expect(onlyRequest(Self.get("//h/p"))?.path == "//h/p")
    }

    @Test func asteriskFormOnlyForOptions() {
        #expect(onlyRequest(Self.get("*", method: "OPTIONS"))?.path == "*")
        #expect(refusal(Self.get("*")) == 400)
    }

    @Test func leadingEmptyLinesAreSkippedUpToALimit() {
        let skipped = String(repeating: "\r\n", count: HTTPRequestParser.maxLeadingEmptyLines)
        #expect(onlyRequest(skipped + Self.get("/"))?.path == "/")
        #expect(refusal(skipped + "\r\n" + Self.get("/")) == 400)
        // Between pipelined requests too, counted per request.
        let requests = parse(Self.get("/1") + skipped + Self.get("/2") + skipped + Self.get("/3")).compactMap(\.request)
        #expect(requests.map(\.path) == ["/1", "/2", "/3"])
    }

    @Test func versionsAreKept() {
        #expect(onlyRequest(Self.get("/"))?.version == "HTTP/1.1")
        #expect(onlyRequest("GET / HTTP/1.0\r\n\r\n")?.version == "HTTP/1.0")
    }

    @Test func decodingHelpersArePublicAndAgree() {
        #expect(HTTPTargetDecoding.percentDecode("a%20b+c", plusAsSpace: false) == "a b+c")
        #expect(HTTPTargetDecoding.percentDecode("a%20b+c", plusAsSpace: true) == "a b c")
        #expect(HTTPTargetDecoding.percentDecode("%e2%82%ac", plusAsSpace: false) == "€")
        #expect(HTTPTargetDecoding.percentDecode("%", plusAsSpace: false) == nil)
        #expect(HTTPTargetDecoding.parseQuery("x=1&y")?.map { "\($0.name)=\($0.value)" } == ["x=1", "y="])
        #expect(HTTPTargetDecoding.parseQuery("x=%zz") == nil)
    }
}
