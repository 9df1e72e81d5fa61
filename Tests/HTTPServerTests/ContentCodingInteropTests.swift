import Foundation
import Testing
@testable import HTTPServer

/// Content codings against independent implementations: Python's gzip and zlib modules, used
/// exactly as tritonclient uses them, and curl --compressed.
@Suite(.serialized) struct ContentCodingInteropTests {
    /// What tritonclient does with request_compression_algorithm and
    /// response_compression_algorithm set to the same coding (tritonclient/http/_client.py
    /// and _infer_result.py, 2.73.0): `gzip.compress` or `zlib.compress` of the body with
    /// `Content-Encoding: gzip|deflate`, `Accept-Encoding: gzip|deflate`, and the answer
    /// decompressed by `gzip.decompress` or `zlib.decompress` when its Content-Encoding is
    /// exactly that string. Plus a bomb and an unknown coding, from Python too.
    static let tritonStyleClient = #"""
        import gzip, http.client, json, sys, zlib
        port = int(sys.argv[1])
        body = json.dumps({"inputs": [{"name": "x", "data": [i / 7 for i in range(3000)]}]}).encode()
        for coding, compress, decompress in (("gzip", gzip.compress, gzip.decompress),
                                             ("deflate", zlib.compress, zlib.decompress)):
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("POST", "/v2/models/relu/infer", body=compress(body),
                               headers={"Content-Encoding": coding, "Accept-Encoding": coding})
            response = connection.getresponse()
            data = response.read()
            assert response.status == 200, response.status
            assert response.getheader("Content-Encoding") == coding, response.getheaders()
            assert int(response.getheader("Content-Length")) == len(data) < len(body)
            assert decompress(data) == body
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("POST", "/", body=gzip.compress(bytes(8 << 20)), headers={"Content-Encoding": "gzip"})
        assert connection.getresponse().status == 413
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("POST", "/", body=b"x", headers={"Content-Encoding": "br"})
        response = connection.getresponse()
        assert response.status == 415 and response.getheader("Accept-Encoding") == "gzip, deflate"
        print("ok")
        """#

    @Test func pythonGzipAndZlibAsTritonclientUsesThem() throws {
        let configuration = testConfiguration { $0.parserLimits.maxBodyLength = 1 << 20 }
        try withServer(configuration, handler: EchoHandler()) { server in
            let result = try TLSTests.run(["python3", "-c", Self.tritonStyleClient, "\(server.port)"])
            #expect(result.status == 0)
            #expect(result.output == "ok\n")
        }
    }

    @Test func curlCompressedDecodesTheAnswer() throws {
        try withServer(testConfiguration(), handler: ResponseCompressionTests.handler) { server in
            let url = "http://127.0.0.1:\(server.port)/large"
            let headers = try TLSTests.run(["curl", "-s", "--compressed", "-D", "-", "-o", "/dev/null", url])
            #expect(headers.output.lowercased().contains("content-encoding: "))
            let body = try TLSTests.run(["curl", "-s", "--compressed", url])
            #expect(body.status == 0)
            #expect(Array(body.output.utf8) == ResponseCompressionTests.large)
        }
    }
}
