import ActivationMath
import HTTPServer
import Testing

@testable import ActivationService

/// `property_definitions` in `GET /v1/functions`: one definition per key of every function's
/// `properties` (and `value_half_properties`), in the shape the explorer page reads.
@Suite struct PropertyDefinitionsTests {
    let service = RequestFactory.service()

    static let criteria: Set<String> = ["vanishing gradients", "zero-centring", "computational expense", "differentiability"]

    @Test(arguments: ["/v1/functions", "/v1/functions?kind=elementwise", "/v1/functions?kind=vector"])
    func definitionsCoverExactlyTheKeys(path: String) throws {
        let body = object(service.handle(RequestFactory.make(path)).body)
        let definitions = try #require(body["property_definitions"] as? [String: Any])
        let functions = try #require(body["functions"] as? [[String: Any]])
        #expect(!functions.isEmpty)
        for entry in functions {
            let name = entry["name"] as? String ?? "?"
            #expect(entry["properties_of"] is String, "\(name)")
            let properties = try #require(entry["properties"] as? [String: Any], "\(name)")
            #expect(Set(properties.keys) == Set(definitions.keys), "\(name)")
            if let value = entry["value_half_properties"] as? [String: Any] {
                #expect(Set(value.keys) == Set(definitions.keys), "\(name)")
                #expect(entry["value_half_properties_of"] is String, "\(name)")
            }
            // Enumerated properties take one of their listed values.
            for (key, value) in properties {
                if let values = (definitions[key] as? [String: Any])?["values"] as? [String] {
                    #expect(values.contains(value as? String ?? ""), "\(name).\(key) = \(value)")
                }
            }
        }
        var covered: Set<String> = []
        for (key, raw) in definitions {
            let definition = try #require(raw as? [String: Any], "\(key)")
            #expect((definition["label"] as? String)?.isEmpty == false, "\(key)")
            #expect(((definition["definition"] as? String)?.count ?? 0) > 40, "\(key)")
            #expect(definition.keys.contains("criterion"), "\(key)")
            if let criterion = definition["criterion"] as? String {
                #expect(Self.criteria.contains(criterion), "\(key): \(criterion)")
                covered.insert(criterion)
            }
            let deprecated = try #require(definition["deprecated"] as? Bool, "\(key)")
            if deprecated {
                let replacement = try #require(definition["replaced_by"] as? String, "\(key)")
                #expect(definitions[replacement] != nil, "\(key) replaced by \(replacement)")
            }
        }
        // All four of the article's criteria are answered by some property.
        #expect(covered == Self.criteria)
    }

    /// The split booleans and the range agree in the answer as in the metadata: glu's flags are
    /// those of its range (-inf, inf), and `differentiable` is false exactly when points are listed.
    @Test func answersAreConsistent() throws {
        let body = object(service.handle(RequestFactory.make("/v1/functions")).body)
        let functions = try #require(body["functions"] as? [[String: Any]])
        for entry in functions {
            let name = entry["name"] as? String ?? "?"
            let properties = try #require(entry["properties"] as? [String: Any])
            let range = try #require(OutputRange(parsing: entry["range"] as? String ?? ""), "\(name)")
            #expect(properties["bounded_below"] as? Bool == range.boundedBelow, "\(name)")
            #expect(properties["bounded_above"] as? Bool == range.boundedAbove, "\(name)")
            #expect(properties["takes_both_signs"] as? Bool == range.takesBothSigns, "\(name)")
            let points = try #require(properties["not_differentiable_at"] as? [Any], "\(name)")
            #expect(properties["differentiable"] as? Bool == points.isEmpty, "\(name)")
            #expect(properties["cost"] as? String == entry["cost"] as? String, "\(name)")
            #expect(properties["monotonic"] as? Bool == (properties["monotonicity"] as? String == "increasing"), "\(name)")
            #expect(properties["saturating"] as? Bool == (properties["vanishing_gradient"] as? String != "none"), "\(name)")
        }
        let glu = try #require(functions.first { $0["name"] as? String == "glu" }?["properties"] as? [String: Any])
        #expect(glu["bounded_below"] as? Bool == false && glu["bounded_above"] as? Bool == false)
    }

    /// One function's answer is its entry of the list, byte for byte, and links to the definitions.
    @Test func oneFunctionLinksToTheDefinitions() {
        let one = service.handle(RequestFactory.make("/v1/functions/gelu"))
        #expect(one.headers["Link"] == "</v1/functions>; rel=\"describedby\"")
        #expect(object(one.body)["property_definitions"] == nil)
        let list = service.handle(RequestFactory.make("/v1/functions")).body
        #expect(list.firstRange(of: one.body) != nil)
    }
}
