import Testing
@testable import HTTPServer

/// gzip and deflate decoding with its cap, and encoding, without sockets.
@Suite struct ZlibCodecTests {
    static let text = Array("hello, world".utf8)
    /// Python: gzip.compress(b"hello, world", mtime=0), zlib.compress(...), and raw deflate
    /// (compressobj with wbits -15): what clients really send.
    static let pythonGzip: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 40, 207, 47,
                                      202, 73, 1, 0, 58, 114, 171, 255, 12, 0, 0, 0]
    static let pythonZlib: [UInt8] = [120, 156, 203, 72, 205, 201, 201, 215, 81, 40, 207, 47, 202, 73, 1, 0, 29, 84, 4, 137]
    static let pythonRawDeflate: [UInt8] = [203, 72, 205, 201, 201, 215, 81, 40, 207, 47, 202, 73, 1, 0]

    static func decoded(_ bytes: [UInt8], _ coding: HTTPContentCoding, limit: Int = 1 << 20) -> [UInt8]? {
        try? ZlibCodec.decode(bytes, coding: coding, limit: limit).get()
    }

    static func failure(_ bytes: [UInt8], _ coding: HTTPContentCoding, limit: Int = 1 << 20) -> ContentDecodingError? {
        if case .failure(let error) = ZlibCodec.decode(bytes, coding: coding, limit: limit) { return error }
        return nil
    }

    /// Compressible but not trivial: JSON-like text with varying numbers.
    static func sample(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes += Array("\(Double(state >> 40) / 1e5), ".utf8)
        }
        return Array(bytes.prefix(count))
    }

    @Test func decodesWhatPythonSends() {
        #expect(Self.decoded(Self.pythonGzip, .gzip) == Self.text)
        #expect(Self.decoded(Self.pythonZlib, .deflate) == Self.text)
    }

    @Test func deflateAlsoTakesRawDeflateData() {
        #expect(!ZlibCodec.startsWithZlibHeader(Self.pythonRawDeflate))
        #expect(Self.decoded(Self.pythonRawDeflate, .deflate) == Self.text)
    }

    @Test func gzipIsNotDeflateNorTheReverse() {
        #expect(Self.failure(Self.pythonZlib, .gzip) != nil)
        #expect(Self.failure(Self.pythonGzip, .deflate) != nil)
    }

    @Test(arguments: HTTPContentCoding.allCases)
    func roundTripsEverySize(_ coding: HTTPContentCoding) throws {
        for count in [100, 1000, 65_535, 65_536, 65_537, 300_000] {
            let body = Self.sample(count)
            let encoded = try #require(ZlibCodec.encode(body, coding: coding, level: 1))
            #expect(encoded.count < body.count)
            #expect(Self.decoded(encoded, coding) == body)
        }
    }

    @Test func encodingThatWouldNotShrinkIsDeclined() {
        var state: UInt64 = 7
        let noise = (0..<4096).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        #expect(ZlibCodec.encode(noise, coding: .gzip, level: 1) == nil)
        #expect(ZlibCodec.encode([7], coding: .gzip, level: 1) == nil)
    }

    @Test func severalGzipMembersDecodeAsOneBody() throws {
        let first = Self.sample(5000, seed: 1), second = Self.sample(7000, seed: 2)
        let joined = try #require(ZlibCodec.encode(first, coding: .gzip, level: 1))
            + (try #require(ZlibCodec.encode(second, coding: .gzip, level: 6)))
        #expect(Self.decoded(joined, .gzip) == first + second)
    }

    @Test func theCapIsExact() throws {
        let body = Self.sample(100_000)
        for coding in HTTPContentCoding.allCases {
            let encoded = try #require(ZlibCodec.encode(body, coding: coding, level: 1))
            #expect(Self.decoded(encoded, coding, limit: body.count) == body)
            #expect(Self.failure(encoded, coding, limit: body.count - 1) == .tooLarge(limit: body.count - 1))
            #expect(Self.failure(encoded, coding, limit: 0) == .tooLarge(limit: 0))
        }
    }

    /// 1 GiB of zeros in about 1 MiB of gzip: refused at the limit, and the refusal costs
    /// the limit's worth of inflating, not the gigabyte.
    @Test func bombStopsAtTheLimit() throws {
        let megabyteOfZeros = [UInt8](repeating: 0, count: 1 << 20)
        let member = try #require(ZlibCodec.encode(megabyteOfZeros, coding: .gzip, level: 9))
        let bomb = Array([[UInt8]](repeating: member, count: 1024).joined())
        #expect(bomb.count < 1100 * 1024)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(Self.failure(bomb, .gzip, limit: 4 << 20) == .tooLarge(limit: 4 << 20))
        }
        #expect(elapsed < .seconds(2))
    }

    @Test func everyTruncationIsCorrupt() throws {
        for (coding, full) in [(HTTPContentCoding.gzip, Self.pythonGzip), (.deflate, Self.pythonZlib)] {
            for length in 0..<full.count {
                let error = Self.failure(Array(full.prefix(length)), coding)
                guard case .corrupt = error else {
                    Issue.record("\(coding) cut to \(length) bytes gave \(String(describing: error))")
                    continue
                }
            }
        }
        let long = try #require(ZlibCodec.encode(Self.sample(200_000), coding: .gzip, level: 1))
        guard case .corrupt = Self.failure(Array(long.prefix(long.count / 2)), .gzip) else {
            Issue.record("a gzip body cut in half decoded")
            return
        }
    }

    @Test func trailingBytesAreCorrupt() {
        #expect(Self.failure(Self.pythonZlib + [0], .deflate) == .corrupt("bytes after the end of the deflate data"))
        #expect(Self.failure(Self.pythonRawDeflate + [1, 2], .deflate) != nil)
        // After a gzip member only another member may follow.
        guard case .corrupt = Self.failure(Self.pythonGzip + Array("junk".utf8), .gzip) else {
            Issue.record("trailing junk after gzip decoded")
            return
        }
    }

    @Test func damagedChecksumsAreCorrupt() {
        var gzip = Self.pythonGzip
        gzip[gzip.count - 8] ^= 1  // CRC-32
        #expect(Self.failure(gzip, .gzip) == .corrupt("incorrect data check"))
        var zlib = Self.pythonZlib
        zlib[zlib.count - 1] ^= 1  // Adler-32
        #expect(Self.failure(zlib, .deflate) == .corrupt("incorrect data check"))
        var length = Self.pythonGzip
        length[length.count - 4] ^= 1  // ISIZE
        #expect(Self.failure(length, .gzip) == .corrupt("incorrect length check"))
    }

    /// Arbitrary bytes, and valid streams with one byte changed, never crash, never produce
    /// more than the limit, and decode only to what a valid stream may hold.
    @Test func randomInputsFailCleanly() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let valid = [Self.pythonGzip, Self.pythonZlib, Self.pythonRawDeflate]
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(next() % 200)).map { _ in UInt8(truncatingIfNeeded: next()) }
            } else {
                bytes = valid[Int(next() % 3)]
                bytes[Int(next()) % bytes.count] ^= UInt8(truncatingIfNeeded: next() | 1)
            }
            for coding in HTTPContentCoding.allCases {
                let limit = Int(next() % 64)
                if case .success(let output) = ZlibCodec.decode(bytes, coding: coding, limit: limit) {
                    #expect(output.count <= limit)
                }
            }
        }
    }
}
