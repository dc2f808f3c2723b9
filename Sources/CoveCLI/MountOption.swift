import CoveAPI
import CoveCore

/// `--mount type=bind|volume|tmpfs,source=…,target=…[,readonly][,…]` as the docker CLI reads it:
/// the type defaults to `volume`; `src`, `dst` and `destination` are aliases; a flag without a
/// value (`readonly`, `volume-nocopy`) means true.
enum MountOption {
    static func parse(_ text: String) throws(CoveError) -> MountSpec {
        var spec = MountSpec(type: "volume", target: "")
        spec.target = nil
        for field in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts.first?.lowercased() ?? ""
            let value = parts.count == 2 ? parts[1] : nil
            switch key {
            case "readonly", "ro":
                spec.readOnly = try flag(value, key: key)
                continue
            case "volume-nocopy":
                var options = spec.volumeOptions ?? MountSpec.VolumeOptions()
                options.noCopy = try flag(value, key: key)
                spec.volumeOptions = options
                continue
            case "bind-create-src", "bind-create-host-path":
                var options = spec.bindOptions ?? MountSpec.BindOptions()
                options.createMountpoint = try flag(value, key: key)
                spec.bindOptions = options
                continue
            default:
                break
            }
            guard let value else {
                throw CoveError(.invalidInput, "invalid field '\(field)' must be a key=value pair")
            }
            switch key {
            case "type": spec.type = value
            case "source", "src": spec.source = value
            case "target", "dst", "destination": spec.target = value
            case "bind-propagation":
                var options = spec.bindOptions ?? MountSpec.BindOptions()
                options.propagation = value
                spec.bindOptions = options
            case "volume-label":
                let label = value.split(separator: "=", maxSplits: 1).map(String.init)
                var options = spec.volumeOptions ?? MountSpec.VolumeOptions()
                options.labels = (options.labels ?? [:]).merging([label[0]: label.count == 2 ? label[1] : ""]) { $1 }
                spec.volumeOptions = options
            case "tmpfs-size":
                var options = spec.tmpfsOptions ?? MountSpec.TmpfsOptions()
                options.sizeBytes = try ContainerCreateOptions.bytes(value, flag: "--mount tmpfs-size")
                spec.tmpfsOptions = options
            case "tmpfs-mode":
                guard let mode = UInt32(value, radix: 8), mode <= 0o7777 else {
                    throw CoveError(.invalidInput, "invalid value for tmpfs-mode: \(value)")
                }
                var options = spec.tmpfsOptions ?? MountSpec.TmpfsOptions()
                options.mode = mode
                spec.tmpfsOptions = options
            default:
                throw CoveError(.invalidInput, "unexpected key '\(key)' in '\(field)'")
            }
        }
        guard let target = spec.target, !target.isEmpty else {
            throw CoveError(.invalidInput, "target is required in --mount \(text)")
        }
        return spec
    }

    private static func flag(_ value: String?, key: String) throws(CoveError) -> Bool {
        switch value?.lowercased() {
        case nil, "true", "1": return true
        case "false", "0": return false
        case let other?: throw CoveError(.invalidInput, "invalid value for \(key): \(other)")
        }
    }
}
