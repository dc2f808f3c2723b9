import CoveCore

/// Extracts a tar archive into a directory, as `docker cp` does on both ends: into a
/// container's root (`PUT /containers/{id}/archive`) and onto the host.
///
/// Every name is cleaned as if joined to `/` and placed under the destination, and every file is
/// made through `RootedDirectory`: `../` names, absolute names and symlinks already there (a
/// container's `etc -> /etc`, say) all resolve inside `root`. A hard link may only point at a
/// name inside the destination. Sockets are skipped, as are overlayfs's `trusted.overlay.*` xattrs.
public struct ArchiveExtractor {
    /// The directory nothing leaves (a container's merged root).
    public let root: RootedDirectory
    /// The directory the archive's names are relative to.
    public let destination: RootedPath
    /// Docker's `noOverwriteDirNonDir`: refuse to replace a directory with a non-directory or
    /// the other way round.
    public let noOverwriteDirNonDir: Bool
    /// The owner every file gets (`copyUIDGID`'s container user, the caller on the host); nil
    /// keeps the archive's.
    public let owner: (uid: UInt32, gid: UInt32)?
    /// When set, the first component of every name is replaced with it (`docker cp a b` when
    /// `b` does not exist: the archive's `a/...` lands as `b/...`).
    public let topName: String?

    public init(
        root: RootedDirectory, destination: RootedPath, noOverwriteDirNonDir: Bool = false,
        owner: (uid: UInt32, gid: UInt32)? = nil, topName: String? = nil
    ) {
        self.root = root
        self.destination = destination
        self.noOverwriteDirNonDir = noOverwriteDirNonDir
        self.owner = owner
        self.topName = topName
    }

    /// Reads every entry and creates it; directory times are set last.
    public func apply(_ reader: ArchiveReader) throws(CoveError) {
        var directoryTimes: [(RootedPath, Int64, Int64)] = []
        while let entry = try reader.next() {
            do {
                if let time = try apply(entry, reader) { directoryTimes.append(time) }
            } catch {
                var error = error
                if error.code == .notFound { error.code = .invalidInput }
                error.message = "entry \(String(reflecting: entry.path)): \(error.message)"
                throw error
            }
        }
        for (path, seconds, nanoseconds) in directoryTimes.reversed() {
            try? root.setTimes(path, seconds, nanoseconds)
        }
    }

    /// Where an archive name lands: under the destination, whatever `..` or `/` it holds.
    public func target(of name: String) -> RootedPath {
        var components = RootedPath(name).components
        if let topName, !components.isEmpty { components[0] = topName }
        return components.reduce(destination) { $0.appending($1) }
    }

    private func apply(_ entry: ArchiveEntry, _ reader: ArchiveReader) throws(CoveError) -> (RootedPath, Int64, Int64)?
    {
        let path = target(of: entry.path)
        guard path != destination || entry.kind == .directory else {
            throw CoveError(.invalidInput, "the archive names the destination itself as a file")
        }
        if noOverwriteDirNonDir, let existing = try root.status(path) {
            let shown = "/" + path.description
            if existing.kind == .directory, entry.kind != .directory {
                throw CoveError(
                    .invalidInput, "cannot overwrite directory \"\(shown)\" with non-directory \"\(entry.path)\"")
            }
            if existing.kind != .directory, entry.kind == .directory {
                throw CoveError(
                    .invalidInput, "cannot overwrite non-directory \"\(shown)\" with directory \"\(entry.path)\"")
            }
        }
        return try root.place(
            entry, at: path, metadata: try FileMetadata(entry: entry, owner: owner), reader: reader
        ) { (path) throws(CoveError) in
            try root.createHardLink(path, to: target(of: entry.linkTarget ?? ""), in: root)
        }
    }
}
