import CoveCore
import Testing

@testable import CoveAPI

/// The client's pure parts: query strings and error answers.
@Suite struct EngineClientUnitTests {
    @Test func queryStringsKeepOrderAndEscapeAllButUnreservedCharacters() {
        #expect(EngineClient.queryString([]) == "")
        #expect(EngineClient.queryString([("all", "1"), ("a", "b")]) == "?all=1&a=b")
        #expect(
            EngineClient.queryString([("filters", #"{"label":["a=b c"]}"#)])
                == "?filters=%7B%22label%22%3A%5B%22a%3Db%20c%22%5D%7D")
        #expect(EngineClient.queryString([("x&y", "é/~")]) == "?x%26y=%C3%A9%2F~")
    }

    func answer(_ status: Int, _ body: String) -> EngineResponse {
        EngineResponse(
            status: status, headers: [.init(name: "Content-Type", value: "application/json")], body: Array(body.utf8))
    }

    @Test func anErrorAnswerBecomesACoveErrorWithTheMessageAndTheStatus() {
        let notFound = EngineClient.error(for: answer(404, #"{"message":"No such container: web"}"#), request: "GET /x")
        #expect(notFound.code == .notFound)
        #expect(notFound.message == "No such container: web")
        #expect(notFound.cause == "HTTP 404 from GET /x")
        #expect(EngineClient.error(for: answer(409, #"{"message":"conflict"}"#), request: "POST /y").code == .conflict)
        #expect(EngineClient.error(for: answer(400, #"{"message":"bad"}"#), request: "POST /y").code == .invalidInput)
        #expect(EngineClient.error(for: answer(500, #"{"message":"boom"}"#), request: "GET /z").code == .internalError)
    }

    @Test func anErrorAnswerWithoutJSONKeepsItsTextOrNamesTheStatus() {
        #expect(EngineClient.error(for: answer(502, "bad gateway\n"), request: "GET /").message == "bad gateway")
        #expect(
            EngineClient.error(for: answer(503, ""), request: "GET /").message == "the engine answered with status 503")
    }

    @Test func headersAreLookedUpWithoutCase() {
        let response = EngineResponse(
            status: 200, headers: [.init(name: "Api-Version", value: "1.43")], body: Array("OK".utf8))
        #expect(response.header("api-version") == "1.43")
        #expect(response.header("Server") == nil)
        #expect(response.text == "OK")
        #expect(response.isSuccess)
    }
}
