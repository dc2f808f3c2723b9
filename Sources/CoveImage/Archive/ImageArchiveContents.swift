import CoveCore
import Foundation

/// What was found in an image archive (`docker save` output or an OCI image layout), gathered
/// while it is read: the regular files stored as blobs, the links between entries, and the small
/// JSON documents that describe the images.
///
/// Paths are kept normalised (`./a//b` → `a/b`). Nothing here touches the file system: the reader
/// fills it, `ImageArchivePlanner` interprets it.
public struct ImageArchiveContents: Sendable {
    /// The names of the documents kept in memory rather than stored as blobs.
    public static let documentNames: Set<String> = ["manifest.json", "index.json", "oci-layout", "repositories"]
    /// The largest document kept in memory.
    public static let maximumDocumentSize = 8 << 20

    /// Regular files stored in the content store, by path.
    public var blobs: [String: Digest] = [:]
    /// Symbolic and hard links, by path: the path they point to, resolved against the archive root.
    public var links: [String: String] = [:]
    /// The describing documents, by name.
    public var documents: [String: Data] = [:]

    public init() {}

    /// True when a regular file at `path` is worth storing: a blob of an OCI layout, or a config or
    /// layer of the legacy `docker save` format. Other files (legacy `json`, `VERSION`) are skipped.
    public static func isStored(_ path: String) -> Bool {
        let path = normalize(path)
        if path.hasPrefix("blobs/") { return true }
        if !path.contains("/") { return path.hasSuffix(".json") && !documentNames.contains(path) }
        return path.hasSuffix("/layer.tar")
    }

    /// `path` without `./`, empty components and a leading or trailing `/`; `..` is kept (it never
    /// resolves to anything stored, as stored paths never hold it).
    public static func normalize(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
    }

    /// Records a link at `path` to `target`: a symbolic link's target is relative to its directory
    /// (or absolute from the archive root), a hard link's target is a path in the archive.
    public mutating func addLink(at path: String, to target: String, symbolic: Bool) {
        let path = Self.normalize(path)
        guard symbolic, !target.hasPrefix("/") else {
            links[path] = Self.normalize(target)
            return
        }
        var parts = path.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/") {
            switch part {
            case ".", "": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        links[path] = parts.joined(separator: "/")
    }

    /// The blob stored for `path`, following links (at most 16 of them).
    public func blob(at path: String) -> Digest? {
        var path = Self.normalize(path)
        for _ in 0..<16 {
            if let digest = blobs[path] { return digest }
            guard let next = links[path] else { return nil }
            path = next
        }
        return nil
    }
}
