import Dispatch
import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

// A minimal server over the HTTPServer module, outside the service: scripts/load-server.sh
// measures the server alone with it. Routes: GET /healthz (small fixed body), POST /echo
// (the request body back). Usage: http-echo-server [port] [host]; prints "listening on PORT".

let arguments = CommandLine.arguments
var configuration = HTTPServerConfiguration()
configuration.port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
configuration.host = arguments.count > 2 ? arguments[2] : "127.0.0.1"
// Optional thread counts for experiments: HTTP_IO_THREADS, HTTP_WORKERS.
if let value = getenv("HTTP_IO_THREADS").flatMap({ Int(String(cString: $0)) }) { configuration.ioThreadCount = value }
if let value = getenv("HTTP_WORKERS").flatMap({ Int(String(cString: $0)) }) { configuration.workerCount = value }

var router = HTTPRouter(errorResponder: configuration.errorResponder)
let healthBody = Array("{\"status\":\"ok\"}".utf8)
router.add("GET", "/healthz") { _, _ in
    HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: healthBody)
}
router.add("POST", "/echo") { request, _ in
    HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]), body: request.body)
}

do {
    let server = try HTTPServer(configuration: configuration, handler: router)
    try server.start()
    print("listening on \(server.port)")
    fflush(nil)
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let stop = DispatchSource.makeSignalSource(signal: SIGTERM)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT)
    for source in [stop, interrupt] {
        source.setEventHandler {
            server.shutdown(grace: .seconds(5)) { exit(0) }
        }
        source.resume()
    }
    dispatchMain()
} catch {
    print("http-echo-server: \(error)")
    exit(1)
}
