import RealModule

/// erfcx(z) = e^(z²)·erfc(z), the scaled complementary error function, for 0.7 ≤ z ≤ 14.2.
///
/// gelu's exact form needs Φ(x) = ½·erfcx(z)·e^(-z²), z = -x/√2, on its negative side. The C
/// library's erfc is up to ~2.2 ulp off there, which left gelu(x) at 3 ulp; erfcx is smooth and
/// slowly varying, so a polynomial per interval (Chebyshev interpolants from mpmath at 40
/// digits, converted to powers of s ∈ [-1, 1], relative error below 2e-18) with its last Horner
/// step in double length is within about half an ulp, and e^(-z²) is formed separately with
/// the rounding of z² carried.
enum Erfcx {
    struct Piece: Sendable {
        let lower: Double
        let upper: Double
        /// Coefficients of s^0, s^1, … with s = (2z - lower - upper)/(upper - lower).
        let coefficients: [Double]
    }

    static let pieces: [Piece] = [
            Piece(lower: 0.7, upper: 1.5, coefficients: [
                0.4017304606364951, -0.09782886147808935, 0.021232174651479908,
                -0.004206973993228808, 0.000773039693608071,
                -0.00013319134949093368, 2.1694052400250544e-05,
                -3.3614951078922853e-06, 4.979976350919536e-07,
                -7.082670948937694e-08, 9.70317103695409e-09,
                -1.2841870641431163e-09, 1.6458250246868092e-10,
                -2.0440287533661518e-11, 2.4719966318633276e-12,
                -3.0790127117136e-13, 3.527214873231188e-14,
            ]),
            Piece(lower: 1.5, upper: 3.0, coefficients: [
                0.23108725873039188, -0.06636487710656187, 0.017995852918522272,
                -0.004641494381623013, 0.0011450727488398391,
                -0.00027141213040061496, 6.203181705881082e-05,
                -1.3711609142366947e-05, 2.938639156065365e-06,
                -6.119615402682128e-07, 1.2405992566652293e-07,
                -2.452292842947235e-08, 4.733452903539577e-09,
                -8.936172874678258e-10, 1.650693570713118e-10,
                -2.9589666625339204e-11, 5.25627325054218e-12,
                -1.0602576795188423e-12, 1.8066791367226334e-13,
            ]),
            Piece(lower: 3.0, upper: 6.0, coefficients: [
                0.12248480427384142, -0.03902389294640972, 0.012179532227877552,
                -0.0037279443941659234, 0.0011201614260534323,
                -0.0003307141043979527, 9.60143346271528e-05,
                -2.7431421831294042e-05, 7.717539021887589e-06,
                -2.1394019967389742e-06, 5.846992603125327e-07,
                -1.5762571887276165e-07, 4.1934986514687315e-08,
                -1.1012273176206117e-08, 2.8570511492547087e-09,
                -7.357171528471107e-10, 1.8636935637488512e-10,
                -4.405936483816362e-11, 1.0945550360903806e-11,
                -3.855602478028782e-12, 9.298269402514383e-13,
            ]),
            Piece(lower: 6.0, upper: 14.2, coefficients: [
                0.055590487009239874, -0.022350450986355182, 0.008943911280354168,
                -0.0035624766407758653, 0.0014124954641134687,
                -0.0005575180650179863, 0.00021907522642883838,
                -8.570672731861367e-05, 3.338474475477284e-05,
                -1.2948403672610951e-05, 5.000830914047063e-06,
                -1.9233063443409405e-06, 7.366496043459458e-07,
                -2.809906994939564e-07, 1.0672834510111768e-07,
                -4.0385224236298356e-08, 1.5263854915782648e-08,
                -5.72981856844311e-09, 2.084025824579209e-09,
                -7.770872692779209e-10, 3.4291125212470066e-10,
                -1.263251813930786e-10, 1.3956791549454147e-11,
                -5.307098459009264e-12, 1.3280679881360926e-11,
                -4.807826199276163e-12,
            ]),
    ]

    static var lowerLimit: Double { 0.7 }
    static var upperLimit: Double { 14.2 }

    /// erfcx(z) as hi + lo for lowerLimit ≤ z ≤ upperLimit.
    @inline(__always)
    static func evaluate<T: ActivationReal>(_ z: T) -> (hi: T, lo: T) {
        let index = z < 1.5 ? 0 : z < 3 ? 1 : z < 6 ? 2 : 3
        // Through unsafe buffers: no bounds check or reference counting in the Horner loop.
        return pieces.withUnsafeBufferPointer { all in
            let piece = all[index]
            return piece.coefficients.withUnsafeBufferPointer { c in
                evaluate(z, lower: T(piece.lower), upper: T(piece.upper), c)
            }
        }
    }

    @inline(__always)
    static func evaluate<T: ActivationReal>(
        _ z: T, lower a: T, upper b: T, _ c: UnsafeBufferPointer<Double>
    ) -> (hi: T, lo: T) {
        let s = (2 * z - a - b) / (b - a)
        // c₁ + c₂s + …, then the last step c₀ + s·(…) in double length.
        let acc = Polynomial.evaluate(UnsafeBufferPointer(rebasing: c[1...]), at: s)
        let (p, pl) = ErrorFree.product(s, acc)
        let (hi, lo) = ErrorFree.sum(T(c[0]), p)
        return (hi, lo + pl)
    }
}
