import CHTTPSupport
import Dispatch
import Testing
@testable import HTTPServer

/// Requests the scheduling allows to run inline are handled on their I/O thread, within the
/// stated caps (cost per request, cost per event-loop round, pipelining depth); everything
/// else goes to the worker pool, whose regular threads run at a lower priority.
@Suite struct InlineHandlingTests {
    /// Answers with the body it got and, in `X-Nice`, the nice value of the thread it ran on;
    /// `X-Thread` tells the I/O thread from a worker by the thread's name.
    struct ThreadReportingHandler: HTTPHandler {
        func handle(_ request: HTTPRequest) -> HTTPResponse {
            var name = [CChar](repeating: 0, count: 64)
            _ = chttp_current_thread_name(&name, name.count)
            let headers = HTTPHeaders([
                ("X-Nice", String(chttp_renice_current_thread(0))),
                ("X-Thread", String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)),
            ])
            return HTTPResponse(status: 200, headers: headers, body: request.body)
        }
    }

    static func inlineConfiguration(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
        testConfiguration {
            $0.scheduling.inlineCost = 1_000
            $0.scheduling.mayRunInline = { $0.method == .post }
            adjust(&$0)
        }
    }

    static func post(_ body: String, path: String = "/p", extra: String = "") -> String {
        "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n\(body)"
    }

    @Test func smallAllowedRequestRunsOnTheIOThread() throws {
        try withServer(Self.inlineConfiguration(), handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post("hello"))
            let response = try client.readResponse()
            #expect(response.bodyText == "hello")
            #expect(server.statistics.handledInline == 1)
            #expect(response.header("X-Nice") == "0")
        }
    }

    @Test func requestsOverTheCostOrNotAllowedGoToThePool() throws {
        try withServer(Self.inlineConfiguration(), handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port)
            let large = String(repeating: "x", count: 1_001)
            try client.send(Self.post(large))
            #expect(try client.readResponse().bodyText == large)
            try client.send(get("/g"))
            #expect(try client.readResponse().status == 200)
            // Content codings are undone on a worker: an encoded body's size says little.
            try client.send(Self.post("abc", extra: "Content-Encoding: identity\r\n"))
            _ = try client.readResponse()
            #expect(server.statistics.handledInline == 0)
            #expect(server.statistics.responses == 3)
        }
    }

    @Test func inlineIsOffByDefault() throws {
        try withServer(handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post("hello"))
            #expect(try client.readResponse().bodyText == "hello")
            #expect(server.statistics.handledInline == 0)
        }
    }

    /// A long pipeline of inline requests is answered in order; past the depth bound some go
    /// through the pool, which ends the recursion.
    @Test func pipelinedInlineRequestsAreAnsweredInOrder() throws {
        try withServer(Self.inlineConfiguration(), handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port, timeout: 10)
            try client.send((0..<200).map { Self.post("r\($0)") }.joined())
            for index in 0..<200 {
                let response = try client.readResponse()
                guard response.bodyText == "r\(index)" else {
                    Issue.record("response \(index): \(response.bodyText)")
                    return
                }
            }
            let inline = server.statistics.handledInline
            #expect(inline > 0 && inline < 200)
        }
    }

    /// The per-round allowance: with room for one request per round, the request parsed right
    /// after an inline one (same round) goes to the pool.
    @Test func perRoundAllowanceSendsTheRestToThePool() throws {
        let configuration = Self.inlineConfiguration { $0.scheduling.inlineCostPerRound = 5 }
        try withServer(configuration, handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port, timeout: 10)
            try client.send(Self.post("aaaaa") + Self.post("bbbbb"))
            #expect(try client.readResponse().bodyText == "aaaaa")
            let second = try client.readResponse()
            #expect(second.bodyText == "bbbbb")
            #expect(server.statistics.handledInline == 1)
            #expect(second.header("X-Thread")?.hasPrefix("http-regular") == true)
        }
    }

    @Test func regularWorkersRunAtTheConfiguredNiceValue() throws {
        let configuration = testConfiguration {
            $0.scheduling.regularWorkerNice = 7
            $0.scheduling.smallCost = 10
        }
        try withServer(configuration, handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port)
            // Over `smallCost`: only a regular worker takes it.
            try client.send(Self.post(String(repeating: "z", count: 100)))
            let response = try client.readResponse()
            #expect(response.header("X-Nice") == "7")
            #expect(response.header("X-Thread")?.hasPrefix("http-regular") == true)
        }
    }

    @Test func arrivalOrderRunsNothingInlineAndLeavesPrioritiesAlone() throws {
        let configuration = testConfiguration {
            $0.scheduling = .arrivalOrder
            $0.scheduling.mayRunInline = { _ in true }
        }
        try withServer(configuration, handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post("q"))
            let response = try client.readResponse()
            #expect(response.header("X-Nice") == "0")
            #expect(server.statistics.handledInline == 0)
        }
    }

    /// Inline work only in rounds with few ready events: with many, the workers stay awake
    /// and spread the work over the cores.
    @Test func allowanceDependsOnTheRoundsReadyEvents() {
        var scheduling = HTTPScheduling()
        #expect(scheduling.inlineAllowance(readyEvents: 1) == 0)  // inline off by default
        scheduling.inlineCost = 1_000
        scheduling.inlineCostPerRound = 5_000
        scheduling.inlineReadyEventsPerRound = 3
        #expect(scheduling.inlineAllowance(readyEvents: 1) == 5_000)
        #expect(scheduling.inlineAllowance(readyEvents: 3) == 5_000)
        #expect(scheduling.inlineAllowance(readyEvents: 4) == 0)
    }

    /// Over a socket: with a bound of zero ready events no round qualifies, so an allowed
    /// request still goes to the pool.
    @Test func noInlineWorkWhenEveryRoundHasTooManyReadyEvents() throws {
        let configuration = Self.inlineConfiguration { $0.scheduling.inlineReadyEventsPerRound = 0 }
        try withServer(configuration, handler: ThreadReportingHandler()) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post("hello"))
            #expect(try client.readResponse().bodyText == "hello")
            #expect(server.statistics.handledInline == 0)
        }
    }
}
