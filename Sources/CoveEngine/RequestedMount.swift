import CoveAPI
import CoveCore
import CoveRuntime

/// One mount a create request asks for, from `Binds`, `Mounts`, `Tmpfs` or `Volumes` (the
/// request's and the image's), checked and in one form.
struct RequestedMount: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A host path; `createHostPath` makes it when missing (the `Binds` form does, as Docker).
        case bind(source: String, createHostPath: Bool)
        /// A volume; a nil name asks for an anonymous one.
        case volume(name: String?, noCopy: Bool, labels: [String: String])
        /// A tmpfs with its file-system options (`size=65536k,mode=1777`).
        case tmpfs(options: String)
    }

    var kind: Kind
    /// The absolute path inside the container.
    var target: String
    var readOnly: Bool
    /// A bind's propagation (`rprivate` unless asked); empty for other kinds.
    var propagation: String
    /// The `Binds` mode as given (`ro,z`), as inspect's `Mode` shows it.
    var mode: String

    /// The volume's name for a named volume.
    var volumeName: String? {
        if case .volume(let name, _, _) = kind { return name }
        return nil
    }

    var isVolume: Bool {
        if case .volume = kind { return true }
        return false
    }
}

/// Docker's rules for the mounts of a create request.
enum RequestedMounts {
    /// Every mount of `config` (a request completed with its image's `Volumes`): `Binds`,
    /// `Mounts` and `Tmpfs` may not share a target (`Duplicate mount point`); a `Volumes` entry
    /// whose target one of them takes is left out, as Docker does.
    static func parse(_ config: ContainerCreateRequest) throws(CoveError) -> [RequestedMount] {
        let host = config.hostConfig ?? HostConfig()
        var mounts: [RequestedMount] = []
        for bind in host.binds ?? [] { mounts.append(try parseBind(bind)) }
        for spec in host.mounts ?? [] { mounts.append(try parseMount(spec)) }
        for (target, options) in (host.tmpfs ?? [:]).sorted(by: { $0.key < $1.key }) {
            try checkTarget(target, type: "tmpfs")
            try checkTmpfsOptions(options)
            mounts.append(
                RequestedMount(
                    kind: .tmpfs(options: options), target: target, readOnly: false, propagation: "", mode: ""))
        }
        var taken = Set<String>()
        for mount in mounts {
            let target = clean(mount.target)
            try checkNotRoot(target)
            guard taken.insert(target).inserted else {
                throw CoveError(.invalidInput, "Duplicate mount point: \(target)")
            }
        }
        for target in (config.volumes ?? [:]).keys.sorted() where !taken.contains(clean(target)) {
            try checkTarget(target, type: "volume")
            try checkNotRoot(target)
            taken.insert(clean(target))
            mounts.append(
                RequestedMount(
                    kind: .volume(name: nil, noCopy: false, labels: [:]), target: target, readOnly: false,
                    propagation: "", mode: ""))
        }
        return mounts
    }

    /// `source:target[:options]`: an absolute source is a host path, anything else a volume name.
    /// Options: `ro`/`rw`, `z`/`Z`, a propagation mode (binds), `nocopy` (volumes).
    static func parseBind(_ text: String) throws(CoveError) -> RequestedMount {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CoveError(.invalidInput, "invalid volume specification: '\(text)'")
        }
        guard parts[1].hasPrefix("/") else {
            throw CoveError(.invalidInput, "invalid volume specification: '\(text)': mount path must be absolute")
        }
        let isBind = parts[0].hasPrefix("/")
        if !isBind { try VolumeName.check(parts[0]) }
        var readOnly = false
        var noCopy = false
        var propagation = isBind ? "rprivate" : ""
        let mode = parts.count == 3 ? parts[2] : ""
        for option in mode.split(separator: ",").map(String.init) {
            switch option {
            case "ro": readOnly = true
            case "rw", "z", "Z": continue
            case "nocopy" where !isBind: noCopy = true
            case let other where isBind && MountFlags.propagation(other) != nil: propagation = other
            default: throw CoveError(.invalidInput, "invalid mode: \(option)")
            }
        }
        let kind: RequestedMount.Kind =
            isBind
            ? .bind(source: parts[0], createHostPath: true) : .volume(name: parts[0], noCopy: noCopy, labels: [:])
        return RequestedMount(kind: kind, target: parts[1], readOnly: readOnly, propagation: propagation, mode: mode)
    }

    /// One `Mounts` entry, with Docker's messages for what does not fit its type.
    static func parseMount(_ spec: MountSpec) throws(CoveError) -> RequestedMount {
        let type = spec.type ?? ""
        func invalid(_ reason: String) -> CoveError {
            CoveError(.invalidInput, "invalid mount config for type \"\(type)\": \(reason)")
        }
        guard let target = spec.target, !target.isEmpty else { throw invalid("field Target must not be empty") }
        guard target.hasPrefix("/") else {
            throw invalid("invalid mount path: '\(target)' mount path must be absolute")
        }
        let source = spec.source ?? ""
        let readOnly = spec.readOnly ?? false
        switch type {
        case "bind":
            guard !source.isEmpty else { throw invalid("field Source must not be empty") }
            guard source.hasPrefix("/") else {
                throw invalid("invalid mount path: '\(source)' mount path must be absolute")
            }
            guard spec.volumeOptions == nil else { throw invalid("field VolumeOptions must not be specified") }
            guard spec.tmpfsOptions == nil else { throw invalid("field TmpfsOptions must not be specified") }
            let propagation = spec.bindOptions?.propagation.flatMap { $0.isEmpty ? nil : $0 } ?? "rprivate"
            guard MountFlags.propagation(propagation) != nil else {
                throw invalid("invalid propagation mode: \(propagation)")
            }
            let create = spec.bindOptions?.createMountpoint ?? false
            return RequestedMount(
                kind: .bind(source: source, createHostPath: create), target: target, readOnly: readOnly,
                propagation: propagation, mode: "")
        case "volume":
            if !source.isEmpty { try VolumeName.check(source) }
            guard spec.bindOptions == nil else { throw invalid("field BindOptions must not be specified") }
            guard spec.tmpfsOptions == nil else { throw invalid("field TmpfsOptions must not be specified") }
            let options = spec.volumeOptions
            return RequestedMount(
                kind: .volume(
                    name: source.isEmpty ? nil : source, noCopy: options?.noCopy ?? false,
                    labels: options?.labels ?? [:]),
                target: target, readOnly: readOnly, propagation: "", mode: "")
        case "tmpfs":
            guard source.isEmpty else { throw invalid("field Source must not be specified") }
            guard spec.bindOptions == nil else { throw invalid("field BindOptions must not be specified") }
            guard spec.volumeOptions == nil else { throw invalid("field VolumeOptions must not be specified") }
            var options: [String] = []
            if let size = spec.tmpfsOptions?.sizeBytes {
                guard size >= 0 else { throw invalid("invalid tmpfs size: \(size)") }
                if size > 0 { options.append("size=\(size)") }
            }
            if let mode = spec.tmpfsOptions?.mode, mode != 0 {
                guard mode <= 0o7777 else { throw invalid("invalid tmpfs mode: \(String(mode, radix: 8))") }
                options.append("mode=\(String(mode, radix: 8))")
            }
            if readOnly { options.append("ro") }
            return RequestedMount(
                kind: .tmpfs(options: options.joined(separator: ",")), target: target, readOnly: readOnly,
                propagation: "", mode: "")
        default:
            throw invalid("mount type unknown")
        }
    }

    /// `size=` must be a size (`64m`, `1048576`, `50%`) and `mode=` octal permission bits.
    static func checkTmpfsOptions(_ options: String) throws(CoveError) {
        for option in options.split(separator: ",").map(String.init) {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "size":
                if parts[1].hasSuffix("%"), let percent = Int(parts[1].dropLast()), percent > 0 { continue }
                _ = try ContainerSpecBuilder.byteSize(parts[1], option: "tmpfs size")
            case "mode":
                guard let mode = UInt32(parts[1], radix: 8), mode <= 0o7777 else {
                    throw CoveError(.invalidInput, "invalid tmpfs mode: \(parts[1])")
                }
            default: continue
            }
        }
    }

    static func checkTarget(_ target: String, type: String) throws(CoveError) {
        guard target.hasPrefix("/") else {
            throw CoveError(
                .invalidInput,
                "invalid mount config for type \"\(type)\": invalid mount path: '\(target)' mount path must be absolute"
            )
        }
    }

    /// Nothing may be mounted over the container's root.
    static func checkNotRoot(_ target: String) throws(CoveError) {
        guard clean(target) != "/" else {
            throw CoveError(.invalidInput, "invalid specification: destination can't be '/'")
        }
    }

    /// `/data/` and `/data//x/.` as `/data` and `/data/x`.
    static func clean(_ path: String) -> String {
        "/" + path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
