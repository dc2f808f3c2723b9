import CoveCore

/// Service volumes: the short syntax `[SOURCE:]TARGET[:OPTIONS]` and the long syntax,
/// turned into long-syntax mappings with sources resolved against the project directory.
enum VolumeSyntax {
    static func canonical(_ node: Node, paths: PathResolver) throws(CoveError) -> Node {
        switch node.value {
        case .string(let spec):
            return try parse(spec, at: node.location, paths: paths)
        case .mapping(var m):
            if m["type"]?.string == "bind", let source = m["source"], let s = source.string {
                m["source"] = .string(paths.resolve(s), at: source.location)
            }
            if let target = m["target"], let t = target.string {
                m["target"] = .string(PathResolver.clean(t), at: target.location)
            }
            if var tmpfs = m["tmpfs"]?.mapping, let size = tmpfs["size"], let text = size.scalarText, !size.isNull {
                guard let bytes = Units.parseBytes(text) else {
                    throw CoveError.invalid(
                        "tmpfs.size: \"\(text)\" is not a byte size (examples: 64m, 1g)", at: size.location)
                }
                tmpfs["size"] = .string(String(bytes), at: size.location)
                m["tmpfs"] = .mapping(tmpfs, at: m["tmpfs"]?.location ?? node.location)
            }
            return Node(.mapping(m), at: node.location, tag: node.mergeTag)
        default:
            throw CoveError.invalid("a volume must be a string or a mapping, not \(node.kindName)", at: node.location)
        }
    }

    static func parse(_ spec: String, at location: SourceLocation, paths: PathResolver) throws(CoveError) -> Node {
        func fail(_ why: String) -> CoveError {
            CoveError.invalid("invalid volume \"\(spec)\": \(why)", at: location)
        }
        guard !spec.isEmpty else { throw fail("empty volume specification") }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.contains(where: \.isEmpty) { throw fail("empty section between colons") }
        guard parts.count <= 3 else { throw fail("too many colons") }
        let source = parts.count >= 2 ? parts[0] : nil
        let target = parts.count >= 2 ? parts[1] : parts[0]
        var readOnly = false
        var bind = Mapping()
        var volume = Mapping()
        if parts.count == 3 {
            for option in parts[2].split(separator: ",").map(String.init) {
                switch option {
                case "ro": readOnly = true
                case "rw": readOnly = false
                case "nocopy": volume["nocopy"] = Node(.bool(true), at: location)
                case "z", "Z": bind["selinux"] = .string(option, at: location)
                case "shared", "rshared", "slave", "rslave", "private", "rprivate":
                    bind["propagation"] = .string(option, at: location)
                case "consistent", "cached", "delegated":
                    // Accepted for compatibility; Compose drops it from the short syntax.
                    break
                default:
                    throw fail(
                        "unknown option \"\(option)\" (known: ro, rw, z, Z, nocopy, shared, rshared, slave, rslave, private, rprivate, cached, delegated, consistent)"
                    )
                }
            }
        }
        let isBind = source.map(PathResolver.isFilePath) ?? false
        // Compose prints these keys in this order.
        var ordered = Mapping(minimumCapacity: 6)
        ordered["type"] = .string(isBind ? "bind" : "volume", at: location)
        if let source { ordered["source"] = .string(isBind ? paths.resolve(source) : source, at: location) }
        ordered["target"] = .string(PathResolver.clean(target), at: location)
        if readOnly { ordered["read_only"] = Node(.bool(true), at: location) }
        if isBind {
            bind["create_host_path"] = Node(.bool(true), at: location)
            ordered["bind"] = .mapping(bind, at: location)
        } else {
            if !bind.isEmpty { throw fail("options z, Z and propagation apply to bind mounts only") }
            ordered["volume"] = .mapping(volume, at: location)
        }
        return .mapping(ordered, at: location)
    }
}
