import CoveCore

/// Docker's rule for local volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
enum VolumeName {
    static func check(_ name: String) throws(CoveError) {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || "_.-".contains(c)) }
        guard name.count >= 2, let first = name.first, first.isASCII, first.isLetter || first.isNumber,
            name.allSatisfy(allowed)
        else {
            throw CoveError(
                .invalidInput,
                "create \(name): \"\(name)\" includes invalid characters for a local volume name, only "
                    + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, "
                    + "use absolute path")
        }
    }
}
