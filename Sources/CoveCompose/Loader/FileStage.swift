import CoveCore

/// Interpolation, schema validation and canonical form for one parsed file. Services are
/// independent of each other in these stages, so each goes through all three in one task,
/// in parallel (`Parallel`); the result and the errors are those of a sequential run.
struct FileStage: Sendable {
    let environment: Environment
    let interpolate: Bool
    let paths: PathResolver

    /// The file's model in canonical form, and the unset variables met, in order.
    func run(_ parsed: Node) throws(CoveError) -> (Mapping, [String]) {
        guard var top = parsed.mapping else { return (Mapping(), []) }
        let servicesNode = top["services"]
        let services = servicesNode?.mapping
        // The file without its services' bodies: the top level is checked as a whole, with
        // each service standing in as an empty mapping (service names are still checked).
        if let services, let servicesNode {
            var stubs = Mapping(minimumCapacity: services.count)
            for (name, service) in services {
                stubs.set(
                    name, Node(.mapping(Mapping()), at: service.location),
                    keyAt: services.location(ofKey: name) ?? service.location)
            }
            top["services"] = Node(.mapping(stubs), at: servicesNode.location)
        }
        var unset: [String] = []
        var interpolationErrors: [CoveError] = []
        var topNode = Node(.mapping(top), at: parsed.location)
        if interpolate {
            var interpolation = Interpolation(environment: environment)
            do {
                topNode = try interpolation.apply(topNode)
                unset = interpolation.unsetVariables
            } catch {
                interpolationErrors.append(error)
            }
        }
        var schemaErrors = ComposeSchema.validator.validate(topNode)

        let entries = services.map { list in list.map { (name: $0.key, node: $0.value) } } ?? []
        let syntax = ServiceSyntax(paths: paths)
        let checked = try Parallel.map(entries) { [self] entry throws(CoveError) in
            check(entry.name, entry.node, syntax: syntax)
        }
        for result in checked {
            switch result {
            case .failure(let error): interpolationErrors.append(error)
            case .success(let service):
                for name in service.unset where !unset.contains(name) { unset.append(name) }
                schemaErrors += service.errors
            }
        }
        if let first = interpolationErrors.min(by: { Self.precedes($0.location, $1.location) }) { throw first }
        if !schemaErrors.isEmpty {
            let sorted = schemaErrors.sorted { Self.precedes($0.location, $1.location) }
            var error = sorted[0]
            if sorted.count > 1 { error.message += sorted.dropFirst().map { "\n  also: \($0.description)" }.joined() }
            throw error
        }

        guard var model = topNode.mapping else { return (Mapping(), unset) }
        if let services, let servicesNode {
            // Canonical forms were made with the checks; the first failing service's error.
            var canonical = Mapping(minimumCapacity: entries.count)
            for (entry, result) in zip(entries, checked) {
                guard case .success(let service) = result, let form = service.canonical else { continue }
                canonical.set(
                    entry.name, try form.get(), keyAt: services.location(ofKey: entry.name) ?? service.node.location)
            }
            model["services"] = Node(.mapping(canonical), at: servicesNode.location, tag: servicesNode.mergeTag)
        }
        let result = Canonical.resources(model, paths: paths)
        // The interpolated tree is not needed any more.
        Reclaim.later((checked, topNode))
        return (result, unset)
    }

    /// A service after the checks: interpolated, its schema errors, and (when it has none)
    /// its canonical form or the error making it.
    private struct Checked: Sendable {
        var node: Node
        var unset: [String]
        var errors: [CoveError]
        var canonical: Result<Node, CoveError>?
    }

    /// One service interpolated and checked against the schema's service definition.
    private func check(_ name: String, _ service: Node, syntax: ServiceSyntax) -> Result<Checked, CoveError> {
        var node = service
        var unset: [String] = []
        let path = TreePath(keys: "services", name)
        if interpolate {
            var interpolation = Interpolation(environment: environment)
            do {
                node = try interpolation.apply(service, path: path)
            } catch {
                return .failure(error)
            }
            unset = interpolation.unsetVariables
        }
        let errors = ComposeSchema.validator.validate(node, definition: "service", path: path.description)
        guard errors.isEmpty else { return .success(Checked(node: node, unset: unset, errors: errors)) }
        let canonical = Result { () throws(CoveError) in try syntax.canonical(node, name: name) }
        return .success(Checked(node: node, unset: unset, errors: errors, canonical: canonical))
    }

    static func precedes(_ a: SourceLocation?, _ b: SourceLocation?) -> Bool {
        let a = a ?? .synthesized
        let b = b ?? .synthesized
        if a.file != b.file { return a.file < b.file }
        return (a.line, a.column) < (b.line, b.column)
    }
}
