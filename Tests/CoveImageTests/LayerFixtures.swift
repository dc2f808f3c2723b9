import CoveCore
import CoveImage
import CoveLinux
import Foundation

/// Builds image layers in a test's scratch directory and stores them in a content store.
struct LayerFixtures {
    let directory: String
    let content: ContentStore

    /// A stored layer: its descriptor (compressed digest and size) and diff id.
    struct Layer {
        var descriptor: Descriptor
        var diffID: Digest
    }

    /// A layer written by ArchiveWriter (pax), compressed as asked.
    func layer(
        _ entries: [(ArchiveEntry, [UInt8])], compression: ArchiveWriter.Compression = .gzip
    ) throws -> Layer {
        let plain = directory + "/\(UUID().uuidString).tar"
        try write(entries, to: plain, compression: .none)
        guard compression != .none else { return try store(plain, uncompressed: plain, mediaType: MediaType.ociLayer) }
        let packed = plain + ".packed"
        try write(entries, to: packed, compression: compression)
        let type = compression == .zstd ? MediaType.ociLayerZstd : MediaType.ociLayerGzip
        return try store(packed, uncompressed: plain, mediaType: type)
    }

    /// A layer from raw tar bytes (names ArchiveWriter would not write), uncompressed.
    func layer(raw bytes: [UInt8]) throws -> Layer {
        let path = directory + "/\(UUID().uuidString).tar"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try store(path, uncompressed: path, mediaType: MediaType.ociLayer)
    }

    /// A manifest and config for layers, base first.
    func image(_ layers: [Layer]) -> (ImageManifest, ImageConfig) {
        let config = ImageConfig(
            architecture: "amd64", os: "linux", rootfs: RootFS(diffIDs: layers.map(\.diffID)))
        let configDescriptor = Descriptor(
            mediaType: MediaType.ociConfig, digest: Digest.sha256(of: Array("config".utf8)), size: 6)
        return (ImageManifest(config: configDescriptor, layers: layers.map(\.descriptor)), config)
    }

    private func write(_ entries: [(ArchiveEntry, [UInt8])], to path: String, compression: ArchiveWriter.Compression)
        throws
    {
        let writer = try ArchiveWriter(path: path, compression: compression)
        for (entry, data) in entries { try writer.write(entry, data: data) }
        try writer.finish()
    }

    private func store(_ blob: String, uncompressed: String, mediaType: String) throws -> Layer {
        let stored = try content.write(contentsOf: URL(fileURLWithPath: blob))
        let diffID = Digest.sha256(of: try Data(contentsOf: URL(fileURLWithPath: uncompressed)))
        return Layer(
            descriptor: Descriptor(mediaType: mediaType, digest: stored.digest, size: stored.size), diffID: diffID)
    }
}

/// Raw ustar records, for hostile names and links that a well-behaved writer refuses or rewrites.
enum RawTar {
    /// One header (and its data, padded to 512 bytes). `type`: "0" file, "1" hard link, "2" symlink, "5" directory.
    static func entry(_ name: String, type: Character = "0", link: String = "", data: [UInt8] = [], mode: Int = 0o644)
        -> [UInt8]
    {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            put(String(value, radix: 8).leftPadded(width - 1), at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(data.count, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        put(String(type), at: 156, width: 1)
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("        ", at: 148, width: 8)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(6), at: 148, width: 6)
        header[154] = 0
        header[155] = 0x20
        let padding = (512 - data.count % 512) % 512
        return header + data + [UInt8](repeating: 0, count: padding)
    }

    /// The two zero records that end an archive.
    static let end = [UInt8](repeating: 0, count: 1024)
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
