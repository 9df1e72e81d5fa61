// swift-tools-version:6.1
import PackageDescription

// MARK: - Dependencies (chosen, not collected: see README "Dependencies")

let dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
]

// MARK: - Kernels built twice on x86-64

// ActivationMathV3 is the same source as ActivationMath/Kernels (a symbolic link), compiled for
// the x86-64-v3 level: AVX2 vectors and FMA instructions where the baseline build calls libm's
// fma() for every fused multiply-add. The engine uses it only when cpuid says the processor has
// that level, so one binary still runs on every x86-64 machine; both builds give identical bits
// (tested). The manifest is evaluated for the host, which is also the target of every build of
// this service (the Dockerfile builds natively for each platform). arm64's baseline already has
// FMA and NEON, so there is nothing to gain there.
#if arch(x86_64)
let fastKernelDependencies: [Target.Dependency] = ["ActivationMathV3"]
let fastKernelTargets: [Target] = [
    .target(
        name: "ActivationMathV3",
        dependencies: [.product(name: "RealModule", package: "swift-numerics")],
        // "haswell" is the x86-64-v3 feature set (swiftc does not take the level's own name).
        // ACTIVATION_FMA: where an exact product or remainder has two formulations (Dekker's
        // splitting, or one FMA), this build takes the FMA; both are exact, so the bits agree.
        swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"]), .define("ACTIVATION_FMA")]
    ),
]
#else
let fastKernelDependencies: [Target.Dependency] = []
let fastKernelTargets: [Target] = []
#endif

// MARK: - Library modules: math without I/O, server without math, service joins them

var targets: [Target] = [
    .target(
        name: "ActivationMath",
        dependencies: [.product(name: "RealModule", package: "swift-numerics")]
    ),
    .target(
        name: "ActivationEngine",
        dependencies: ["ActivationMath", "CCPUFeatures"] + fastKernelDependencies
    ),
    // cpuid, for choosing the kernel build at start-up.
    .target(name: "CCPUFeatures"),
    .systemLibrary(
        name: "COpenSSL",
        pkgConfig: "openssl",
        providers: [.apt(["libssl-dev"])]
    ),
    // gzip and deflate content codings (RFC 9110 §8.4.1), for request bodies and responses.
    .systemLibrary(
        name: "CZlib",
        pkgConfig: "zlib",
        providers: [.apt(["zlib1g-dev"])]
    ),
    // Sixteen decimal digits at a time (SSE2, with a portable fallback), for the JSON number reader.
    .target(name: "CDecimalDigits"),
    // A double's text in [0.0001, 10): sixteen digits at a time (SSE2, with a portable
    // fallback), for the JSON number writer.
    .target(name: "CDecimalText"),
    // Linux calls Swift's Glibc module lacks (accept4, epoll, eventfd), for HTTPServer.
    .target(name: "CHTTPSupport"),
    .target(
        name: "HTTPServer",
        dependencies: ["COpenSSL", "CZlib", "CHTTPSupport"]
    ),
    .target(
        name: "ActivationService",
        dependencies: [
            "ActivationEngine",
            "HTTPServer",
            "CDecimalDigits",
            "CDecimalText",
            // SHA-256 and a constant-time comparison for API keys.
            "COpenSSL",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]
    ),
] + fastKernelTargets

// MARK: - Executables: the thin server, and the benchmark outside the service's graph

targets += [
    .executableTarget(
        name: "activation-server",
        dependencies: [
            "ActivationService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .executableTarget(
        name: "activation-bench",
        dependencies: ["ActivationEngine"]
    ),
    // The HTTP server alone, for scripts/load-server.sh.
    .executableTarget(
        name: "http-echo-server",
        dependencies: ["HTTPServer"]
    ),
    .executableTarget(
        name: "activation-json-bench",
        dependencies: ["ActivationService", "ActivationEngine"]
    ),
]

// MARK: - Tests: one target per module

targets += [
    // References/ holds the committed reference vectors, read by the tests through #filePath.
    .testTarget(name: "ActivationMathTests", dependencies: ["ActivationMath"], exclude: ["References"]),
    .testTarget(name: "ActivationEngineTests", dependencies: ["ActivationEngine"], exclude: ["References"]),
    .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
    .testTarget(name: "ActivationServiceTests", dependencies: ["ActivationService"]),
]

// MARK: - The inference reader's fuzzer, only when scripts/fuzz-inference.sh builds it

// libFuzzer supplies `main`, so the target is a library-mode executable that only links with
// `--sanitize=fuzzer`; a normal build must not see it.
if Context.environment["ACTIVATION_FUZZ"] == "1" {
    targets.append(.executableTarget(
        name: "inference-fuzz",
        dependencies: ["ActivationService", "ActivationEngine"],
        path: "Fuzz/InferenceFuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
}

// MARK: - Swift settings for every target, in one place

for target in targets where target.type != .system && !["CHTTPSupport", "CCPUFeatures", "CDecimalDigits", "CDecimalText"].contains(target.name) {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}

let package = Package(
    name: "activation-service",
    products: [
        .executable(name: "activation-server", targets: ["activation-server"]),
        .executable(name: "activation-bench", targets: ["activation-bench"]),
        .library(name: "ActivationEngine", targets: ["ActivationEngine"]),
    ],
    dependencies: dependencies,
    targets: targets
)
