import CoveCore
import CoveLinux
import Foundation

/// A layer blob opened for unpacking: decompressed, with both of its digests computed on the way.
///
/// The compressed bytes are hashed as libarchive pulls them from the file; a first reader
/// (`.raw`) decompresses them (gzip, zstd or xz, detected), and the decompressed bytes are hashed
/// (the diff id) as the tar reader pulls them from it. `finish()` reads whatever follows the tar's
/// end-of-archive records, then checks the compressed digest and size against the manifest's
/// descriptor and the uncompressed digest against the config's diff id (for an uncompressed
/// layer both are the same hash, computed once). The size limit of
/// `limits` counts decompressed bytes, so a decompression bomb stops there.
final class LayerStream {
    /// The tar entries of the layer.
    let tar: ArchiveReader
    private let state: State
    private let decompressed: ArchiveReader
    private let descriptor: Descriptor
    private let diffID: Digest
    private let isCompressed: Bool

    private final class State {
        let file: FileHandle
        let name: String
        var compressed = DigestHasher()
        var compressedSize: Int64 = 0
        var uncompressed = DigestHasher()

        init(file: FileHandle, name: String) {
            self.file = file
            self.name = name
        }

        /// The next compressed bytes of the file, hashed.
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(CoveError) -> Int {
            let chunk: Data
            do {
                chunk = try file.read(upToCount: buffer.count) ?? Data()
            } catch {
                throw CoveError(.io, "cannot read \(name)", cause: "\(error)")
            }
            let count = chunk.copyBytes(to: buffer)
            compressed.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            compressedSize += Int64(count)
            return count
        }
    }

    init(file: FileHandle, descriptor: Descriptor, diffID: Digest, limits: ArchiveReader.Limits) throws(CoveError) {
        let name = "layer \(descriptor.digest)"
        let state = State(file: file, name: name)
        // The one raw entry is named by the gzip header's file name, when the compressor stored one
        // (`gzip FILE` does), so the name limit is the layer's own.
        let raw = ArchiveReader.Limits(
            maximumBytes: limits.maximumBytes, maximumEntries: 1, maximumNameLength: limits.maximumNameLength)
        let decompressed = try ArchiveReader(name: name, format: .raw, limits: raw) { buffer throws(CoveError) in
            try state.read(into: buffer)
        }
        _ = try decompressed.next()
        // An uncompressed layer's diff id is its digest: one hash is enough.
        let isCompressed = !decompressed.compression.isEmpty
        tar = try ArchiveReader(name: name, format: .tar, limits: limits) { buffer throws(CoveError) in
            let count = try decompressed.read(into: buffer)
            if isCompressed { state.uncompressed.update(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
            return count
        }
        self.isCompressed = isCompressed
        self.state = state
        self.decompressed = decompressed
        self.descriptor = descriptor
        self.diffID = diffID
    }

    /// Reads the rest of both streams and checks both digests; call after the last tar entry.
    func finish() throws(CoveError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try decompressed.read(into: buffer)
            if count == 0 { break }
            if isCompressed { state.uncompressed.update(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
        }
        while try state.read(into: buffer) > 0 {}
        let compressed = state.compressed.finalize()
        guard compressed == descriptor.digest, state.compressedSize == descriptor.size else {
            throw CoveError(
                .invalidInput,
                "layer \(descriptor.digest) does not match its descriptor: its \(state.compressedSize) bytes "
                    + "hash to \(compressed) (the descriptor says \(descriptor.size) bytes)")
        }
        let uncompressed = isCompressed ? state.uncompressed.finalize() : compressed
        guard uncompressed == diffID else {
            throw CoveError(
                .invalidInput,
                "layer \(descriptor.digest) does not match the image config: its uncompressed content hashes "
                    + "to \(uncompressed), the config's diff id is \(diffID)")
        }
    }
}
