import Testing
@testable import ActivationService

/// Every way a body can be refused, with its code, status and where it points.
@Suite struct JSONReaderErrorTests {
    typealias S = JSONTestSupport

    @Test func syntaxErrorsGiveLineAndColumn() {
        S.expectSyntaxError("", line: 1, column: 1)
        S.expectSyntaxError("{", line: 1, column: 2)
        S.expectSyntaxError("{\"function\": \"relu\",\n  \"inputs\": [1, 2,]}", line: 2, column: 19)
        S.expectSyntaxError("{\"function\": \"é\" \"inputs\": 1}", line: 1, column: 18)
        S.expectSyntaxError("[1 2]", line: 1, column: 4)
        S.expectSyntaxError("{\"function\":\"f\",\"inputs\":[1]} x", line: 1, column: 31)
        S.expectSyntaxError("{\"function\":\"f\",\"inputs\":[1]}{}", line: 1, column: 30)
        S.expectSyntaxError("{'function':1}", line: 1, column: 2)
        S.expectSyntaxError("\u{FEFF}{\"function\":\"f\",\"inputs\":1}", line: 1, column: 1)
    }

    @Test func numbersFollowTheJSONGrammarOnly() {
        for bad in ["+1", "01", "-", "1.", ".5", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "1.5.2", "--1", "1E+-2"] {
            let body = #"{"function":"f","inputs":[\#(bad)]}"#
            guard let error = S.error(body) else { continue }
            #expect(error.code == .malformedJSON, "\(bad): \(error.message)")
        }
        for good in ["0", "-0", "0.5", "1e5", "1E-5", "1e+5", "-12.5e-3"] {
            #expect(throws: Never.self, "\(good)") { try S.read(#"{"function":"f","inputs":[\#(good)]}"#) }
        }
    }

    @Test func stringsAreValidatedAndEscapesChecked() {
        let invalidUTF8: [UInt8] = Array(#"{"function":""#.utf8) + [0xC3, 0x28] + Array(#"","inputs":1}"#.utf8)
        #expect(throws: ServiceError.self) { try ActivateRequestReader().read(invalidUTF8) }
        do {
            _ = try ActivateRequestReader().read(invalidUTF8)
        } catch {
            #expect(error.code == .malformedJSON && error.status == 400)
        }
        for bad in [#""\x""#, #""\u12""#, #""\ud800""#, #""\udc00\ud800""#, #""\ud800\u0041""#, "\"a\u{01}b\"", #""abc"#] {
            guard let error = S.error(#"{"function":\#(bad),"inputs":1}"#) else { continue }
            #expect(error.code == .malformedJSON, "\(bad): \(error.message)")
        }
    }

    @Test func wrongTypesAre400WithThePath() {
        S.expectError("42", .invalidType, status: 400, path: "$")
        S.expectError("[1]", .invalidType, status: 400, path: "$[0]")
        S.expectError(#"{"function":1,"inputs":1}"#, .invalidType, status: 400, path: "$.function")
        S.expectError(#"{"function":"f","inputs":true}"#, .invalidType, status: 400, path: "$.inputs")
        S.expectError(#"{"function":"f","inputs":[1,null]}"#, .invalidType, status: 400, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[1],[{}]]}"#, .invalidType, status: 400, path: "$.inputs[1][0]")
        S.expectError(#"{"function":"f","inputs":1,"params":[]}"#, .invalidType, status: 400, path: "$.params")
        S.expectError(#"{"function":"f","inputs":1,"params":{"a":true}}"#, .invalidType, status: 400, path: "$.params.a")
        S.expectError(#"{"function":"f","inputs":1,"params":{"a b":{}}}"#, .invalidType, status: 400, path: #"$.params["a b"]"#)
        S.expectError(#"{"function":"f","inputs":1,"params":{"a":[1,[2]]}}"#, .invalidType, status: 400, path: "$.params.a[1]")
        S.expectError(#"{"function":"f","inputs":1,"dtype":32}"#, .invalidType, status: 400, path: "$.dtype")
        S.expectError(#"{"function":"f","inputs":1,"outputs":"values"}"#, .invalidType, status: 400, path: "$.outputs")
        S.expectError(#"{"function":"f","inputs":1,"outputs":[1]}"#, .invalidType, status: 400, path: "$.outputs[0]")
        S.expectError(#"{"function":"f","inputs":1,"axis":1.5}"#, .invalidType, status: 400, path: "$.axis")
        S.expectError(#"{"function":"f","inputs":1,"axis":-2.25e0}"#, .invalidType, status: 400, path: "$.axis")
        S.expectError(#"{"function":"f","inputs":1,"axis":"0"}"#, .invalidType, status: 400, path: "$.axis")
        S.expectError(#"{"function":"f","inputs":1,"grad_output":null}"#, .invalidType, status: 400, path: "$.grad_output")
        S.expectError(#"[{"function":"f","inputs":1},{"function":"f","inputs":1,"conventions":false}]"#,
                      .invalidType, status: 400, path: "$[1].conventions")
    }

    @Test func invalidValuesAre422WithThePath() {
        S.expectError(#"{"function":"f","inputs":[1,"nan"]}"#, .invalidValue, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":"inf"}"#, .invalidValue, status: 422, path: "$.inputs")
        S.expectError(#"{"function":"f","inputs":1,"params":{"a":[1,"x"]}}"#, .invalidValue, status: 422, path: "$.params.a[1]")
        S.expectError(#"{"function":"f","inputs":1,"dtype":"float16"}"#, .invalidValue, status: 422, path: "$.dtype")
        S.expectError(#"{"function":"f","inputs":1,"conventions":"tf"}"#, .invalidValue, status: 422, path: "$.conventions")
        S.expectError(#"{"function":"f","inputs":1,"outputs":[]}"#, .invalidValue, status: 422, path: "$.outputs")
        S.expectError(#"{"function":"f","inputs":1,"outputs":["values","grads"]}"#, .invalidValue, status: 422, path: "$.outputs[1]")
        S.expectError(#"{"function":"f","inputs":1,"axis":12345678901234567890}"#, .invalidValue, status: 422, path: "$.axis")
        S.expectError(#"{"function":"f","inputs":1,"axis":1e300}"#, .invalidValue, status: 422, path: "$.axis")
        S.expectError(#"{"function":"f","inputs":[1,1e309]}"#, .invalidValue, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[1,2],[3,4e38]],"dtype":"float32"}"#, .invalidValue, status: 422, path: "$.inputs[1][1]")
        // The largest float32 and a number just under the halfway point to 2^128 both fit.
        #expect(throws: Never.self) { try S.read(#"{"function":"f","inputs":[3.4028235e38, 3.40282356779733661637539395458142568e38],"dtype":"float32"}"#) }
        S.expectError(#"{"function":"f","inputs":[3.40282356779733661637539395458142568448e38],"dtype":"float32"}"#,
                      .invalidValue, status: 422, path: "$.inputs[0]")
    }

    @Test func fieldsUnknownMissingOrRepeatedAre422() {
        S.expectError(#"{"function":"f","inputs":1,"grad_ouput":[1]}"#, .unknownField, status: 422, path: "$.grad_ouput")
        S.expectError(#"{"inputs":1}"#, .missingField, status: 422, path: "$.function")
        S.expectError(#"[{"function":"f","inputs":1},{"function":"f"}]"#, .missingField, status: 422, path: "$[1].inputs")
        S.expectError("{}", .missingField, status: 422, path: "$.function")
        S.expectError(#"{"function":"f","inputs":1,"function":"g"}"#, .duplicateField, status: 422, path: "$.function")
        S.expectError(#"{"function":"f","inputs":1,"params":{"a":1,"a":2}}"#, .duplicateField, status: 422, path: "$.params.a")
    }

    @Test func raggedArraysPointAtTheRow() {
        S.expectError(#"{"function":"f","inputs":[[1,2],[3]]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[1,2],[3,4,5]]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[1,2],3]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[1,[2]]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[],[1]]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[1],[]]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[[1]],[[2],[3]]]}"#, .raggedArray, status: 422, path: "$.inputs[1]")
        S.expectError(#"{"function":"f","inputs":[[1],[2]],"grad_output":[[1],[2],[3,4]]}"#,
                      .raggedArray, status: 422, path: "$.grad_output[2]")
        S.expectError(#"[{"function":"f","inputs":1},{"function":"f","inputs":[[1],[2],[3],[4,5],[6]]}]"#,
                      .raggedArray, status: 422, path: "$[1].inputs[3]")
    }

    @Test func dimensionAndElementLimits() {
        let nine = String(repeating: "[", count: 9) + "1" + String(repeating: "]", count: 9)
        S.expectError(#"{"function":"f","inputs":\#(nine)}"#, .tooManyDimensions, status: 422,
                      path: "$.inputs[0][0][0][0][0][0][0][0]")
        S.expectError(#"{"function":"f","inputs":[1,2,3]}"#, .tooManyElements, status: 422, path: "$.inputs[2]", maxElements: 2)
        S.expectError(#"[{"function":"f","inputs":[1]},{"function":"f","inputs":[[2],[3]]}]"#,
                      .tooManyElements, status: 422, path: "$[1].inputs[1][0]", maxElements: 2)
        S.expectError(#"{"function":"f","inputs":5,"grad_output":[1,2]}"#, .tooManyElements, status: 422,
                      path: "$.grad_output[1]", maxElements: 1)
    }

    @Test func deepNestingNeitherCrashesNorRecurses() {
        let depth = 100_000
        let open = String(repeating: "[", count: depth)
        let close = String(repeating: "]", count: depth)
        // Valid JSON too deep for an evaluation: 422 at the ninth level.
        S.expectError(#"{"function":"f","inputs":\#(open)\#(close)}"#, .tooManyDimensions, status: 422)
        // Unclosed: the validator walks all 100,000 levels and reports the end of input.
        S.expectSyntaxError(#"{"function":"f","inputs":\#(open)}"#, line: 1, column: 26 + depth)
        // Deep inside an unknown field and at the top level.
        S.expectError(#"{"function":"f","inputs":1,"x":\#(open)\#(close)}"#, .unknownField, status: 422, path: "$.x")
        S.expectError(open + close, .invalidType, status: 400, path: "$[0]")
        S.expectSyntaxError(String(repeating: "{\"a\":", count: depth), line: 1, column: 5 * depth + 1)
    }

    @Test func syntaxErrorsWinOverEarlierSemanticOnes() {
        S.expectSyntaxError(#"{"function":"f","inputs":[[1],[2,3]], "x": tru}"#, line: 1, column: 44)
        S.expectSyntaxError(#"{"function":1, "inputs": [1,]}"#, line: 1, column: 29)
        S.expectError(#"{"function":1, "inputs": [1,}"#, .malformedJSON, status: 400)
    }

    @Test func errorMessagesNeverEchoRawBytes() {
        guard let error = S.error(#"{"function":"f","inputs":1,"\u0000<script>\u0007":1}"#) else { return }
        #expect(error.code == .unknownField)
        let body = String(decoding: error.jsonBody(), as: UTF8.self)
        #expect(!body.unicodeScalars.contains { $0.value < 0x20 })
        // The key's control characters are escaped in the path, and the path again in the body.
        #expect(error.detail("path") == .string(#"$["\u0000<script>\u0007"]"#))
        #expect(body.contains(#""path":"$[\"\\u0000<script>\\u0007\"]""#))
    }
}
