import Foundation
import Testing
@testable import ActivationMath

/// Trig.sinCos (snake's inline sin and cos) against the C library's sin and cos, which are
/// within about half an ulp of the truth: the two may differ by at most one ulp anywhere in the
/// reduction's range, and beyond it Trig defers to the C library exactly.
@Suite struct TrigTests {
    func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / max(abs(b).ulp, Double.leastNonzeroMagnitude)
    }

    @Test func agreesWithTheCLibraryWithinOneUlp() {
        var xs: [Double] = [0, -0.0, 1e-300, -1e-300, .leastNonzeroMagnitude, 0.3, 0.78125, .pi / 4, .pi / 2,
                            .pi, 2 * .pi, Trig.reductionLimit.nextDown, -Trig.reductionLimit.nextDown]
        // Multiples of π/2 and their neighbours: the reduced argument cancels there.
        for k in 1...2_000 {
            let m = Double(k) * .pi / 2
            xs += [m, m.nextUp, m.nextDown, -m]
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<200_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let unit = Double(state >> 11) / 0x1p53
            xs.append((unit - 0.5) * (state & 1 == 0 ? 20 : 2 * Trig.reductionLimit))
        }
        var worst = 0.0
        for x in xs {
            let (s, c) = Trig.sinCos(x)
            let e = max(ulps(s, sin(x)), ulps(c, cos(x)))
            worst = max(worst, e)
            #expect(e <= 1, "sinCos(\(x)) = (\(s), \(c)), libm (\(sin(x)), \(cos(x)))")
            if e > 1 { break }
        }
        #expect(worst <= 1)
    }

    @Test func signsOfZeroAndSpecialValues() {
        #expect(Trig.sinCos(0.0).sin.bitPattern == (0.0).bitPattern)
        #expect(Trig.sinCos(-0.0).sin.bitPattern == (-0.0).bitPattern)
        #expect(Trig.sinCos(0.0).cos == 1)
        #expect(Trig.sinCos(Double.nan).sin.isNaN && Trig.sinCos(Double.nan).cos.isNaN)
        #expect(Trig.sinCos(Double.infinity).sin.isNaN && Trig.sinCos(-Double.infinity).cos.isNaN)
        let big = 1e300
        #expect(Trig.sinCos(big).sin == sin(big) && Trig.sinCos(big).cos == cos(big))
    }
}
