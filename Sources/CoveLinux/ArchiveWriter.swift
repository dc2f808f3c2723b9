import CCoveArchive
import CoveCore
import Glibc

/// Writes a tar archive (pax or ustar) with Debian's libarchive, optionally compressed.
///
/// Each entry is a header (`ArchiveEntry`) followed by exactly `size` bytes of data for regular
/// files. The final block is not padded beyond the two end-of-archive records, as Go's
/// archive/tar (and so `docker save`) does. Call `finish()` to write the end of the archive;
/// a writer dropped without it leaves a truncated archive.
public final class ArchiveWriter {
    /// The tar dialect.
    public enum Format: Sendable {
        /// POSIX pax: long names, xattrs, nanosecond times.
        case pax
        /// Plain ustar: names up to 255 bytes, no xattrs.
        case ustar
    }

    /// The compression applied to the whole archive.
    public enum Compression: Sendable {
        case none, gzip, zstd, xz
    }

    /// The archive's name in messages.
    public let name: String
    private let archive: OpaquePointer
    private let entry: OpaquePointer
    private let ownedDescriptor: Int32?
    private var finished = false

    /// Creates (or truncates) the file at `path`, mode 0644 before the umask.
    public convenience init(
        path: String, format: Format = .pax, compression: Compression = .none
    ) throws(CoveError) {
        let opened = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard opened.result >= 0 else {
            throw .systemCall("open", errno: opened.errno, "cannot create \(path)")
        }
        try self.init(descriptor: opened.result, name: path, format: format, compression: compression, owned: true)
    }

    /// Writes to an open descriptor, which the caller keeps and closes after `finish()`.
    public convenience init(
        descriptor: Int32, name: String, format: Format = .pax, compression: Compression = .none
    ) throws(CoveError) {
        try self.init(descriptor: descriptor, name: name, format: format, compression: compression, owned: false)
    }

    private init(
        descriptor: Int32, name: String, format: Format, compression: Compression, owned: Bool
    ) throws(CoveError) {
        guard let archive = archive_write_new(), let entry = archive_entry_new() else {
            if owned { close(descriptor) }
            throw CoveError(.internalError, "cannot start writing \(name): libarchive is out of memory")
        }
        self.name = name
        self.archive = archive
        self.entry = entry
        ownedDescriptor = owned ? descriptor : nil
        switch format {
        case .pax: archive_write_set_format_pax_restricted(archive)
        case .ustar: archive_write_set_format_ustar(archive)
        }
        let filtered: Int32
        switch compression {
        case .none: filtered = ARCHIVE_OK
        case .gzip: filtered = archive_write_add_filter_gzip(archive)
        case .zstd: filtered = archive_write_add_filter_zstd(archive)
        case .xz: filtered = archive_write_add_filter_xz(archive)
        }
        guard filtered == ARCHIVE_OK else { throw failure("cannot set up the compression of \(name)") }
        archive_write_set_bytes_per_block(archive, 10240)
        archive_write_set_bytes_in_last_block(archive, 1)
        guard archive_write_open_fd(archive, descriptor) == ARCHIVE_OK else {
            throw failure("cannot start writing \(name)")
        }
    }

    deinit {
        if !finished { archive_write_fail(archive) }
        archive_write_free(archive)
        archive_entry_free(entry)
        if let ownedDescriptor { close(ownedDescriptor) }
    }

    /// Writes an entry's header; for a regular file, its `size` bytes of data must follow.
    public func writeHeader(_ header: ArchiveEntry) throws(CoveError) {
        archive_entry_clear(entry)
        header.fill(libarchive: entry)
        guard archive_write_header(archive, entry) >= ARCHIVE_WARN else {
            throw failure("cannot write the header of \(String(reflecting: header.path)) to \(name)")
        }
    }

    /// Writes data of the current entry.
    public func writeData(_ bytes: UnsafeRawBufferPointer) throws(CoveError) {
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(archive, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
            guard written > 0 else { throw failure("cannot write data to \(name)") }
            offset += written
        }
    }

    /// Writes a whole entry: the header, then `data` (whose length must equal `header.size`).
    public func write(_ header: ArchiveEntry, data: [UInt8] = []) throws(CoveError) {
        var header = header
        if header.kind == .regular { header.size = Int64(data.count) }
        try writeHeader(header)
        var failure: CoveError?
        data.withUnsafeBytes { bytes in
            do throws(CoveError) { try writeData(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes the end of the archive and flushes it; the writer cannot be used afterwards.
    public func finish() throws(CoveError) {
        guard !finished else { return }
        finished = true
        guard archive_write_close(archive) == ARCHIVE_OK else { throw failure("cannot finish \(name)") }
        if let ownedDescriptor {
            let synced = retryingOnInterrupt { fsync(ownedDescriptor) }
            guard synced.result == 0 else { throw .systemCall("fsync", errno: synced.errno, "cannot write \(name)") }
        }
    }

    private func failure(_ message: String) -> CoveError {
        let detail = archive_error_string(archive).map { String(cString: $0) }
        return CoveError(.io, message, cause: detail)
    }
}
