import ActivationEngine
import ActivationService
import Foundation
import Testing

/// The service evaluates with the kernel build its configuration names (the fastest the CPU
/// runs by default), says which on /metrics, and answers byte for byte the same with either.
@Suite struct KernelBuildServiceTests {
    /// Every elementwise function and the GLU family, both dtypes, with grad_output, over
    /// inputs that reach every branch: kinks, tails, subnormals, huge values.
    static var batch: String {
        let common = "-745.5,-40,-20,-7.25,-3,-2.5,-1.2785,-0.75,0,1e-8,0.5,1,2.99,3,6,8.3,16.6,37.5,700"
        let extremes = ["float32": "-3e38,-1e-38,-1e-45,1e-45,3e38", "float64": "-1e308,-1e-300,-5e-324,5e-324,1e300"]
        let grads = "[1,2,-1,0.5,3,-2,1,1,1,1,1,1,1,1,1,-3,1,1,1,1,1,1,1,2]"  // 24, as the inputs
        var items: [String] = []
        for function in Catalogue.all where function.kind == .elementwise {
            let params = function.name == "threshold" ? #","params":{"threshold":0.5,"value":-1}"# : ""
            for dtype in ["float32", "float64"] {
                let inputs = "[\(common),\(extremes[dtype]!)]"
                items.append(#"{"function":"\#(function.name)","inputs":\#(inputs),"grad_output":\#(grads),"dtype":"\#(dtype)"\#(params)}"#)
            }
        }
        for name in ["glu", "reglu", "geglu", "swiglu"] {
            items.append(#"{"function":"\#(name)","inputs":[[-3,-1,0,1.5],[2,-0.5,4,-7]]}"#)
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    @Test func everyAvailableBuildGivesTheSameBytes() async throws {
        var bodies: [KernelBuild: [UInt8]] = [:]
        for build in KernelBuild.allCases where build.isAvailable {
            var configuration = ServiceConfiguration()
            configuration.kernels = build
            let live = try LiveService(service: configuration)
            let response = try live.activate(Self.batch)
            #expect(response.status == 200, "\(build): \(response.text.prefix(300))")
            bodies[build] = response.body
            let metrics = try live.send("GET", "/metrics").text
            #expect(metrics.contains(#"activation_kernel_build_info{build="\#(build.rawValue)"} 1"#), "\(metrics)")
            await live.stop()
        }
        let baseline = try #require(bodies[.baseline])
        for (build, body) in bodies where build != .baseline {
            #expect(body == baseline, "\(build) answered differently from the baseline build")
        }
    }

    @Test func theDefaultIsTheFastestAvailableBuild() {
        #expect(ServiceConfiguration().kernels == KernelBuild.best)
    }
}
