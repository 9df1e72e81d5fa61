import Foundation
import Testing
@testable import ActivationService

/// Odd inputs: mutated bodies never crash and always get a documented error, and the
/// eight-digits-at-a-time path agrees with the one-digit path at every boundary.
@Suite struct JSONRobustnessTests {
    typealias S = JSONTestSupport

    static let seeds = [
        #"{"function":"gelu","params":{"approximate":"tanh","alpha":[1,"NaN",2.5e-3]},"dtype":"float32","outputs":["values"],"inputs":[[0.12345678901234567,-1.5],["Infinity",3]],"axis":-1}"#,
        #"[{"function":"relu","inputs":[1,2,3],"grad_output":[1,1,1]},{"function":"softmax","inputs":[[1e300,-0.0]],"conventions":"jax"}]"#,
        "{\"function\":\"r\\u00e9lu\\ud83d\\ude00\",\n \"inputs\": [ [ [ 1 ] ] ] }",
    ]

    @Test func mutatedBodiesGetAnAnswerNeverACrash() {
        var random = S.Generator(seed: 99)
        let known: Set<ServiceError.Code> = [
            .malformedJSON, .invalidType, .invalidValue, .raggedArray, .tooManyDimensions,
            .unknownField, .missingField, .duplicateField, .tooManyElements,
        ]
        let alphabet = Array(#"{}[],:"\0123456789-+.eE truefalsnNaIiy"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xFF]
        var accepted = 0
        for round in 0..<30_000 {
            var body = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<(1 + random.below(4)) {
                let at = random.below(body.count + 1)
                switch random.below(4) {
                case 0 where at < body.count: body.remove(at: at)
                case 1: body.insert(alphabet[random.below(alphabet.count)], at: at)
                case 2 where at < body.count: body[at] = alphabet[random.below(alphabet.count)]
                default: body.removeLast(random.below(min(body.count, 8)))
                }
            }
            do {
                _ = try ActivateRequestReader(maxElements: 64).read(body)
                accepted += 1
            } catch {
                #expect(known.contains(error.code), "\(error.code)")
                #expect(error.status == 400 || error.status == 422)
                #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(error.jsonBody())) }
            }
        }
        // Some mutations keep the body valid (a digit changed), most do not: both paths ran.
        #expect(accepted > 0 && accepted < 30_000)
    }

    @Test func eightDigitStepsAgreeAtEveryBoundary() throws {
        var texts: [String] = []
        let digits = "31415926535897932384626433832795"
        for integer in ["0", "1", "12", "-7", "1234567890123456789"] {
            for fraction in 1...digits.count {
                let number = integer + "." + digits.prefix(fraction)
                texts += [number, number + "e-7", number + "E+12"]
            }
        }
        texts += ["0.00000000123456789012", "0.000000001", "1.00000000", "9.99999999999999999999"]
        let doubles = try #require(S.doubles(try S.single(#"{"function":"f","inputs":[\#(texts.joined(separator: ","))]}"#).input))
        for (text, value) in zip(texts, doubles) {
            #expect(value.bitPattern == strtod(text, nil).bitPattern, "\(text)")
        }
        // The chunk test itself: only eight ASCII digits pass.
        for bad in ["1234567a", "1234567/", "1234567:", "12 45678", "-1234567", "\u{0}1234567"] {
            #expect(!JSONScanner.isEightDigits(Self.chunk(bad)), "\(bad)")
        }
        #expect(JSONScanner.isEightDigits(Self.chunk("09876543")))
        #expect(JSONScanner.valueOfEightDigits(Self.chunk("09876543")) == 9_876_543)
        #expect(JSONScanner.valueOfEightDigits(Self.chunk("99999999")) == 99_999_999)
    }

    static func chunk(_ text: String) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}
