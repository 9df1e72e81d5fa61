/// Polynomial coefficients shared by the generic kernels (a generic type cannot hold a stored
/// static array, and an array literal in a computed property would allocate on every call).
enum PolynomialCoefficients {
    /// tanhshrink: 3·P and 3·Q of the [5/5] Padé approximant of (x - tanh x)/x³ in t = x²,
    /// without their constant terms (1 and 3), which are added in double length (mpmath).
    static let tanhShrinkNumerator: [Double] =
        [0.07760210803689065, 0.00160612334525378, 1.111694475538869e-05,
         2.158210979496931e-08, 1.4373699497149056e-13]
    static let tanhShrinkDenominator: [Double] =
        [1.4328063241106719, 0.0922266139657444, 0.0017712264851852952,
         1.1732034884545316e-05, 2.2013751990868695e-08]

    /// snake's α partial: the coefficients of t², t³, … of G(t) = (u sin 2u - sin²u)/u²
    /// = 1 - t + 2t²/9 - …, t = u², from mpmath; truncation below 1.1e-19 relative for |u| < 0.85.
    static let snakePartial: [Double] =
        [0.2222222222222222, -0.022222222222222223, 0.0012698412698412698,
         -4.7031158142269256e-05, 1.2215885231758248e-06, -2.3492086984150476e-08,
         3.4803091828371076e-10, -4.094481391573068e-12, 3.918164011074706e-14,
         -3.1096539770434174e-16]
}

enum Polynomial {
    /// Σ c_k x^k over the buffer, as E(x²) + x·O(x²): two Horner chains of half the length,
    /// which the processor runs side by side (one chain of 20-odd dependent FMAs is
    /// latency-bound), read through an unsafe buffer (no bounds checks, no reference counting).
    @inline(__always)
    static func evaluate<T: ActivationReal>(_ c: UnsafeBufferPointer<Double>, at x: T) -> T {
        let x2 = x * x
        var even: T = 0
        var odd: T = 0
        var k = c.count - 1
        if k % 2 == 0 {  // the top coefficient is an even power
            even = T(c[k])
            k -= 1
        }
        while k >= 1 {
            odd = T(c[k]).addingProduct(odd, x2)
            even = T(c[k - 1]).addingProduct(even, x2)
            k -= 2
        }
        return even.addingProduct(odd, x)
    }
}
