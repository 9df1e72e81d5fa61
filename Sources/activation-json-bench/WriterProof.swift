import ActivationService
import Dispatch
import Foundation
import Synchronization

/// The writer's proofs, through its public API (`JSONWriter.numbers`, as the service writes
/// arrays): every number it writes must be byte for byte what `description` prints (which
/// also makes it the shortest), and must read back through the C library (`strtof`,
/// `strtod`) to the same bits. Non-finite values must come out as the strings "NaN",
/// "Infinity" and "-Infinity".
///
/// - `--prove-float32`: all 2^32 bit patterns, in 4,096 chunks of 2^20 shared among threads.
/// - `--prove-float64 COUNT`: COUNT random bit patterns (a fixed seed, so a failure
///   reproduces), then the families where printing goes wrong if it ever does: every power of
///   two and its neighbours, the doubles nearest every power of ten, the smallest subnormals and
///   the largest finite values, the integers around 2^53, the values around each switch of
///   layout (1e-5, 1e-4, 1, 10, 1e15, 1e16), and random decimals of 1 to 17 digits read by
///   `strtod`; and a quarter of COUNT more, random magnitudes in [0.0001, 10) (the pair
///   writer's own path, which random bit patterns reach only in pairs once in 15,000).
enum WriterProof {
    /// What a chunk found.
    struct Tally {
        var checked = 0
        var finite = 0
        var failures = 0
        var examples: [String] = []

        mutating func add(_ other: Tally) {
            checked += other.checked
            finite += other.finite
            failures += other.failures
            examples += other.examples.prefix(max(0, 10 - examples.count))
        }
    }

    /// `stride` > 1 checks every stride-th run of 2^20 patterns only: a quick look while the
    /// code changes, not the proof.
    static func everyFloat32(threads: Int, stride: Int = 1) -> Bool {
        let chunkBits = 20
        let label = stride == 1 ? "float32: every bit pattern" : "float32: every \(stride)th run of 2^20 bit patterns"
        // The whole proof visits the runs in a scattered order (k·2731 mod 4096, a permutation),
        // so that when it is stopped part way the progress lines speak for every magnitude.
        return run(label, chunks: (1 << (32 - chunkBits)) / stride, threads: threads) { chunk in
            let run = stride == 1 ? chunk &* 2731 & (1 << (32 - chunkBits) - 1) : chunk * stride
            let start = UInt32(run << chunkBits)
            return check((0..<(1 << chunkBits)).map { Float(bitPattern: start &+ UInt32($0)) })
        }
    }

    static func float64Sample(count: Int, threads: Int) -> Bool {
        let chunkSize = 1 << 20
        let randomChunks = (count + chunkSize - 1) / chunkSize
        let families = float64Families()
        let familyChunks = (families.count + chunkSize - 1) / chunkSize
        // A quarter more: random magnitudes in [0.0001, 10), both signs, the writer's own path
        // for the texts 0.000ddd... and d.ddd... two numbers at a time, which random bit
        // patterns reach in pairs once in 15,000.
        let rangeChunks = max(1, randomChunks / 4)
        let low = (0.0001 as Double).bitPattern, width = (10.0 as Double).bitPattern - low
        print("float64 families: \(families.count) values (both signs)")
        return run("float64: \(randomChunks * chunkSize) random bit patterns, \(rangeChunks * chunkSize) in [0.0001, 10) and the families",
                   chunks: randomChunks + rangeChunks + familyChunks, threads: threads) { chunk in
            if chunk < randomChunks {
                var state = 0x5EED_0000_0000_0000 &+ UInt64(chunk) &* 0x9E37_79B9_7F4A_7C15
                return check((0..<chunkSize).map { _ in Double(bitPattern: splitMix(&state)) })
            }
            if chunk < randomChunks + rangeChunks {
                var state = 0xA11C_0000_0000_0000 &+ UInt64(chunk) &* 0x9E37_79B9_7F4A_7C15
                return check((0..<chunkSize).map { _ in
                    let r = splitMix(&state)
                    return Double(bitPattern: (low + r % width) | (r & 1 << 63))
                })
            }
            let start = (chunk - randomChunks - rangeChunks) * chunkSize
            return check(Array(families[start..<min(start + chunkSize, families.count)]))
        }
    }

    /// The special families of doubles, each with its negation.
    static func float64Families() -> [Double] {
        var values: [Double] = []
        func around(_ x: Double, _ steps: Int) {
            var up = x, down = x
            values.append(x)
            for _ in 0..<steps {
                up = up.nextUp
                down = down.nextDown
                values += [up, down]
            }
        }
        for e in -1074...1023 { around(Double(sign: .plus, exponent: e, significand: 1), 4) }
        for k in -323...308 { around(strtod("1e\(k)", nil), 4) }
        values += (1..<(1 << 20)).map { Double(bitPattern: UInt64($0)) }
        values += (0..<(1 << 20)).map { Double(bitPattern: Double.leastNormalMagnitude.bitPattern - 1 - UInt64($0)) }
        values += (0..<(1 << 20)).map { Double(bitPattern: Double.greatestFiniteMagnitude.bitPattern - UInt64($0)) }
        for x in [0x1p53, 0x1p54, 1e-5, 1e-4, 1e15, 1e16, 1.0, 10.0] { around(x, 1 << 16) }
        var state: UInt64 = 0xDEC1_4A15
        for _ in 0..<(1 << 20) {
            let digits = 1 + Int(splitMix(&state) % 17)
            var significand = 1 + splitMix(&state) % 9
            for _ in 1..<digits { significand = significand * 10 + splitMix(&state) % 10 }
            let exponent = Int(splitMix(&state) % 640) - 325
            values.append(strtod("\(significand)e\(exponent)", nil))
        }
        values = values.filter { $0.isFinite }
        return values + values.map { -$0 }
    }

    /// Writes `values` as one array and checks each number's text.
    static func check<F: ProvenFloat>(_ values: [F]) -> Tally {
        var writer = JSONWriter(capacity: values.count * JSONWriter.bytesPerNumber + 64)
        F.write(values, to: &writer)
        var bytes = writer.finish()
        bytes.append(0)
        var tally = Tally()
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var position = 1  // after '['
            for value in values {
                var end = position
                while base[end] != 0x2C && base[end] != 0x5D { end += 1 }
                let text = UnsafeBufferPointer(start: base + position, count: end - position)
                let expected = value.isNaN ? "\"NaN\"" : value.isInfinite ? (value < 0 ? "\"-Infinity\"" : "\"Infinity\"") : value.description
                var good = expected.utf8.elementsEqual(text)
                if good && value.isFinite {
                    tally.finite += 1
                    var stop: UnsafeMutablePointer<CChar>? = nil
                    let read = F.parse(UnsafeRawPointer(base + position).assumingMemoryBound(to: CChar.self), &stop)
                    good = read.bitPattern == value.bitPattern && stop.map { UnsafeRawPointer($0) == UnsafeRawPointer(base + end) } == true
                }
                if !good {
                    tally.failures += 1
                    if tally.examples.count < 10 {
                        tally.examples.append("\(F.self) bits \(value.bitPattern): wrote \(String(decoding: text, as: UTF8.self)), description \(expected)")
                    }
                }
                tally.checked += 1
                position = end + 1
            }
        }
        return tally
    }

    /// Runs `work` on chunks 0..<chunks across `threads` threads, reports, and says whether all passed.
    static func run(_ label: String, chunks: Int, threads: Int, _ work: @Sendable (Int) -> Tally) -> Bool {
        let started = Date()
        let wall = cpuSeconds(CLOCK_MONOTONIC)
        let cpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID)
        let state = Mutex((next: 0, done: 0, tally: Tally()))
        print("\(label): \(chunks) chunks on \(threads) threads")
        fflush(nil)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let chunk = state.withLock { state in
                    defer { state.next += 1 }
                    return state.next
                }
                guard chunk < chunks else { return }
                let tally = work(chunk)
                state.withLock { state in
                    state.tally.add(tally)
                    state.done += 1
                    if state.done % max(1, chunks / 20) == 0 {
                        print(String(format: "  %d/%d chunks, %.0f s, %d failures so far", state.done, chunks,
                                     cpuSeconds(CLOCK_MONOTONIC) - wall, state.tally.failures))
                        fflush(nil)  // progress shows even when the output is a file
                    }
                }
            }
        }
        let tally = state.withLock { $0.tally }
        print("\(label): \(tally.checked) numbers checked (\(tally.finite) finite), \(tally.failures) failures")
        for example in tally.examples { print("  " + example) }
        print(String(format: "wall %.1f s, CPU %.1f s, %d threads, started %@ on %@", cpuSeconds(CLOCK_MONOTONIC) - wall,
                     cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu, threads, ISO8601DateFormatter().string(from: started), machine()))
        return tally.failures == 0
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The processor's model name, from /proc/cpuinfo where there is one.
    static func machine() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return model.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
}

/// Float and Double as the proofs need them: the array writer, the C library's reader.
protocol ProvenFloat: BinaryFloatingPoint, CustomStringConvertible where RawSignificand: FixedWidthInteger {
    associatedtype Bits: FixedWidthInteger
    var bitPattern: Bits { get }
    static func write(_ values: [Self], to writer: inout JSONWriter)
    static func parse(_ text: UnsafePointer<CChar>, _ end: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Self
}

extension Float: ProvenFloat {
    static func write(_ values: [Float], to writer: inout JSONWriter) { writer.numbers(values, shape: [values.count]) }
    static func parse(_ text: UnsafePointer<CChar>, _ end: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Float { strtof(text, end) }
}

extension Double: ProvenFloat {
    static func write(_ values: [Double], to writer: inout JSONWriter) { writer.numbers(values, shape: [values.count]) }
    static func parse(_ text: UnsafePointer<CChar>, _ end: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Double { strtod(text, end) }
}
