import ActivationEngine
import ActivationMath

/// The catalogue as JSON: what `GET /v1/functions` and `GET /v1/functions/{name}` answer.
///
/// Keys are snake_case like the rest of the API and appear in a fixed order, so answers are
/// byte-identical across runs (the OpenAPI examples and the README table rely on that).
extension FunctionMetadata {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("name"); writer.string(name)
        writer.key("aliases"); writer.beginArray(); aliases.forEach { writer.string($0) }; writer.endArray()
        writer.key("kind"); writer.string(kind.rawValue)
        writer.key("summary"); writer.string(summary)
        writer.key("formula"); writer.string(formula)
        writer.key("formula_latex"); writer.string(formulaLatex)
        writer.key("derivative"); writer.string(derivative)
        writer.key("derivative_latex"); writer.string(derivativeLatex)
        writer.key("parameters")
        writer.beginArray()
        for parameter in parameters { parameter.write(to: &writer) }
        writer.endArray()
        writer.key("constraints")
        writer.beginArray()
        for constraint in constraints {
            switch constraint {
            case .lessThan(let left, let right): writer.string("\(left) < \(right)")
            case .lessThanOrEqual(let left, let right): writer.string("\(left) <= \(right)")
            }
        }
        writer.endArray()
        writer.key("range"); writer.string(range)
        writer.key("properties_of"); writer.string(propertiesOf)
        writer.key("properties"); writeProperties(properties, to: &writer)
        if let valueHalfProperties {
            writer.key("value_half_properties_of"); writer.string(valueHalfPropertiesOf ?? "")
            writer.key("value_half_properties"); writeProperties(valueHalfProperties, to: &writer)
        }
        writer.key("cost"); writer.string(cost.rawValue)
        writer.key("kinks")
        writer.beginArray()
        for kink in kinks { kink.write(to: &writer) }
        writer.endArray()
        writer.key("year"); writer.int(year)
        writer.key("reference"); writer.string(reference)
        writer.key("notes"); writer.beginArray(); notes.forEach { writer.string($0) }; writer.endArray()
        writer.key("accuracy"); accuracy.write(to: &writer)
        writer.endObject()
    }
}

extension FunctionAccuracy {
    /// `{"float32": {"values_ulp": 0, "gradients_ulp": 0}, "float64": {…}, "exact": false}`.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        for (name, bound) in [("float32", float32), ("float64", float64)] {
            writer.key(name)
            writer.beginObject()
            writer.key("values_ulp"); writer.int(bound.valuesULP)
            writer.key("gradients_ulp"); writer.int(bound.gradientsULP)
            writer.endObject()
        }
        writer.key("exact"); writer.bool(exact)
        writer.endObject()
    }
}

extension ParameterSpec {
    /// The wire name of the parameter's kind.
    var kindName: String {
        switch kind {
        case .number: "number"
        case .numberOrPerChannel: "number_or_per_channel"
        case .choice: "choice"
        }
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("name"); writer.string(name)
        writer.key("type"); writer.string(kindName)
        if case .choice(let choices) = kind {
            writer.key("choices"); writer.beginArray(); choices.forEach { writer.string($0) }; writer.endArray()
        }
        switch requirement {
        case .required:
            writer.key("required"); writer.bool(true)
        case .optional:
            writer.key("required"); writer.bool(false)
        case .defaulted(let value):
            writer.key("required"); writer.bool(false)
            writer.key("default"); value.write(to: &writer, dtype: .float64)
        }
        if let lowerBound {
            writer.key(lowerBound.inclusive ? "minimum" : "exclusive_minimum"); writer.number(lowerBound.value)
        }
        if let upperBound {
            writer.key(upperBound.inclusive ? "maximum" : "exclusive_maximum"); writer.number(upperBound.value)
        }
        writer.key("learnable"); writer.bool(learnable)
        writer.key("description"); writer.string(description)
        writer.endObject()
    }
}

extension ParameterValue {
    /// A parameter value; numbers of a float32 evaluation are written as float32 text.
    func write(to writer: inout JSONWriter, dtype: DType) {
        switch self {
        case .number(let value): writer.number(value, dtype: dtype)
        case .numbers(let values):
            writer.beginArray(); values.forEach { writer.number($0, dtype: dtype) }; writer.endArray()
        case .choice(let value): writer.string(value)
        }
    }
}

extension FunctionMetadata {
    /// `{"zero_centered": false, "takes_both_signs": true, "monotonicity": "none", ...}`: every
    /// ``PropertyKey`` in order, the same keys as `property_definitions`.
    func writeProperties(_ properties: FunctionProperties, to writer: inout JSONWriter) {
        writer.beginObject()
        for (key, value) in propertyValues(properties) {
            writer.key(key.rawValue)
            switch value {
            case .bool(let flag): writer.bool(flag)
            case .text(let text): writer.string(text)
            case .list(let items): writer.beginArray(); items.forEach { writer.string($0) }; writer.endArray()
            }
        }
        writer.endObject()
    }
}

extension PropertyKey {
    /// The glossary `GET /v1/functions` serves beside the functions: `{"<key>": {"label": ...,
    /// "definition": ..., "criterion": ... or null, "values": [...] for enumerations,
    /// "deprecated": false, "replaced_by": ... for deprecated keys}}`, keys in ``PropertyKey`` order.
    static func writeDefinitions(to writer: inout JSONWriter) {
        writer.beginObject()
        for key in allCases {
            let definition = key.definition
            writer.key(key.rawValue)
            writer.beginObject()
            writer.key("label"); writer.string(definition.label)
            writer.key("definition"); writer.string(definition.definition)
            writer.key("criterion")
            if let criterion = definition.criterion { writer.string(criterion.rawValue) } else { writer.null() }
            if let values = definition.values {
                writer.key("values"); writer.beginArray(); values.forEach { writer.string($0) }; writer.endArray()
            }
            writer.key("deprecated"); writer.bool(definition.deprecated)
            if let replacement = definition.replacedBy {
                writer.key("replaced_by"); writer.string(replacement.rawValue)
            }
            writer.endObject()
        }
        writer.endObject()
    }
}

extension Kink {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("location"); writer.string(location)
        writer.key("location_at_defaults"); writer.number(locationAtDefaults)
        writer.key("pytorch"); writer.string(pytorch)
        writer.key("pytorch_at_defaults"); writer.number(pytorchAtDefaults)
        writer.key("jax"); writer.string(jax)
        writer.key("jax_at_defaults"); writer.number(jaxAtDefaults)
        writer.endObject()
    }
}

extension JSONWriter {
    /// A number in the dtype it is written in: float32 numbers print as the shortest float32 text.
    mutating func number(_ value: Double, dtype: DType) {
        switch dtype {
        case .float32: number(Float(value))
        case .float64: number(value)
        }
    }
}
