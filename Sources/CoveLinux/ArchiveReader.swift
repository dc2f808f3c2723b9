import CCoveArchive
import CoveCore
import Glibc

/// Reads a tar archive with Debian's libarchive, entry by entry, streaming.
///
/// The input may be uncompressed, gzip, zstd or xz: the filter is detected from the bytes. Only
/// these filters are enabled (no bzip2, lz4 or the external-program filters), and only the tar
/// family of formats (ustar, pax, GNU), or `.raw` to read the decompressed stream itself as a
/// single entry. Limits on the total decompressed data, the number of entries and the length of
/// names stop decompression bombs and absurd archives; every failure is a `CoveError` that names
/// the archive and, once headers are read, the entry.
///
/// Not thread-safe: one task reads a reader.
public final class ArchiveReader {
    /// Bounds on what one archive may hold.
    public struct Limits: Sendable {
        /// The most data bytes (decompressed) all entries together may hold.
        public var maximumBytes: Int64
        /// The most entries the archive may hold.
        public var maximumEntries: Int
        /// The longest entry name or link target, in UTF-8 bytes.
        public var maximumNameLength: Int

        public init(maximumBytes: Int64, maximumEntries: Int, maximumNameLength: Int) {
            self.maximumBytes = maximumBytes
            self.maximumEntries = maximumEntries
            self.maximumNameLength = maximumNameLength
        }

        /// 64 GiB, a million entries, names up to 4096 bytes (`PATH_MAX`).
        public static let standard = Limits(
            maximumBytes: 64 << 30, maximumEntries: 1_000_000, maximumNameLength: 4096)
    }

    /// What the reader parses.
    public enum Format: Sendable {
        /// ustar, pax and GNU tar.
        case tar
        /// The (decompressed) bytes themselves, as one entry named `data`.
        case raw
    }

    /// Supplies the next raw bytes into the buffer and returns how many; 0 at the end.
    public typealias Source = (UnsafeMutableRawBufferPointer) throws(CoveError) -> Int

    /// The archive's name in messages (a path, `layer sha256:…`).
    public let name: String
    public let limits: Limits
    private let archive: OpaquePointer
    private let source: SourceBox?
    private var current: ArchiveEntry?
    private var entryCount = 0
    private var dataBytes: Int64 = 0

    /// Reads the archive file at `path`.
    public convenience init(path: String, format: Format = .tar, limits: Limits = .standard) throws(CoveError) {
        try self.init(name: path, format: format, limits: limits, source: nil) { archive throws(CoveError) in
            archive_read_open_filename(archive, path, ArchiveReader.blockSize)
        }
    }

    /// Reads from an open descriptor, which the caller keeps and closes after the reader is gone.
    public convenience init(
        descriptor: Int32, name: String, format: Format = .tar, limits: Limits = .standard
    ) throws(CoveError) {
        try self.init(name: name, format: format, limits: limits, source: nil) { archive throws(CoveError) in
            archive_read_open_fd(archive, descriptor, ArchiveReader.blockSize)
        }
    }

    /// Reads raw bytes that `source` supplies, so the caller can hash or count them on the way.
    public convenience init(
        name: String, format: Format = .tar, limits: Limits = .standard, source: @escaping Source
    ) throws(CoveError) {
        let box = SourceBox(source)
        try self.init(name: name, format: format, limits: limits, source: box) { archive throws(CoveError) in
            archive_read_open(
                archive, Unmanaged.passUnretained(box).toOpaque(), nil, readFromSource, nil)
        }
    }

    private init(
        name: String, format: Format, limits: Limits, source: SourceBox?,
        open: (OpaquePointer) throws(CoveError) -> Int32
    ) throws(CoveError) {
        guard let archive = archive_read_new() else {
            throw CoveError(.internalError, "cannot start reading \(name): libarchive is out of memory")
        }
        self.name = name
        self.limits = limits
        self.archive = archive
        self.source = source
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_filter_xz(archive)
        switch format {
        case .tar: archive_read_support_format_tar(archive)
        case .raw: archive_read_support_format_raw(archive)
        }
        let status = try open(archive)
        guard status >= ARCHIVE_WARN else {
            throw failure("cannot open \(name)", status: status)
        }
    }

    deinit {
        archive_read_free(archive)
    }

    /// The compression filters libarchive detected, outermost first (`["zstd"]`; empty when none).
    public var compression: [String] {
        (0..<archive_filter_count(archive)).compactMap { index in
            guard archive_filter_code(archive, index) != ARCHIVE_FILTER_NONE,
                let text = archive_filter_name(archive, index)
            else { return nil }
            return String(cString: text)
        }
    }

    /// Total data bytes read so far, decompressed.
    public var bytesRead: Int64 { dataBytes }

    /// The next entry's header, or `nil` at the end of the archive. Its data, if any, is then read
    /// with `readBlocks` or `read(into:)`; data left unread is skipped.
    public func next() throws(CoveError) -> ArchiveEntry? {
        var pointer: OpaquePointer?
        let status = archive_read_next_header(archive, &pointer)
        if status == ARCHIVE_EOF {
            current = nil
            return nil
        }
        guard status >= ARCHIVE_WARN, let pointer else {
            let after = current.map { " after entry \(String(reflecting: $0.path))" } ?? ""
            throw failure("cannot read the next entry of \(name)\(after)", status: status)
        }
        let entry = ArchiveEntry(libarchive: pointer)
        current = entry
        entryCount += 1
        guard entryCount <= limits.maximumEntries else {
            throw CoveError(.invalidInput, "\(name) has more than \(limits.maximumEntries) entries")
        }
        for text in [entry.path, entry.linkTarget ?? ""] where text.utf8.count > limits.maximumNameLength {
            throw CoveError(
                .invalidInput,
                "\(name): entry name or link target longer than \(limits.maximumNameLength) bytes: "
                    + String(reflecting: String(text.prefix(80))) + "…")
        }
        guard entry.size <= limits.maximumBytes - dataBytes else {
            throw bomb(entry.path)
        }
        return entry
    }

    /// Calls `body` with each block of the current entry's data and the block's offset in the
    /// file (sparse files skip ranges, which read as zeros).
    public func readBlocks(
        _ body: (UnsafeRawBufferPointer, Int64) throws(CoveError) -> Void
    ) throws(CoveError) {
        while true {
            var buffer: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(archive, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status >= ARCHIVE_WARN else {
                throw failure("cannot read the data of \(entryName) in \(name)", status: status)
            }
            try count(size)
            if size > 0 { try body(UnsafeRawBufferPointer(start: buffer, count: size), offset) }
        }
    }

    /// Reads the current entry's data into `buffer`; returns the number of bytes, 0 at its end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CoveError) -> Int {
        let result = archive_read_data(archive, buffer.baseAddress, buffer.count)
        guard result >= 0 else {
            throw failure("cannot read the data of \(entryName) in \(name)", status: Int32(result))
        }
        try count(result)
        return result
    }

    /// The whole data of the current entry; refuses more than `maximumSize` bytes.
    public func readAll(maximumSize: Int) throws(CoveError) -> [UInt8] {
        var bytes: [UInt8] = []
        try readBlocks { (block, offset) throws(CoveError) in
            let end = Int(offset) + block.count
            guard end <= maximumSize else {
                throw CoveError(.invalidInput, "\(entryName) in \(name) is larger than \(maximumSize) bytes")
            }
            if bytes.count < end { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
            bytes.withUnsafeMutableBytes {
                UnsafeMutableRawBufferPointer(rebasing: $0[Int(offset)..<end]).copyMemory(from: block)
            }
        }
        return bytes
    }

    private var entryName: String { current.map { "entry \(String(reflecting: $0.path))" } ?? "the data" }

    private func count(_ size: Int) throws(CoveError) {
        dataBytes += Int64(size)
        guard dataBytes <= limits.maximumBytes else { throw bomb(current?.path ?? "data") }
    }

    private func bomb(_ path: String) -> CoveError {
        CoveError(
            .invalidInput,
            "\(name) holds more than \(limits.maximumBytes) bytes of data (at entry \(String(reflecting: path))): "
                + "refused as a possible decompression bomb")
    }

    /// The error for a failed libarchive call, preferring the source's own error.
    private func failure(_ message: String, status: Int32) -> CoveError {
        if let error = source?.error { return error }
        let detail = archive_error_string(archive).map { String(cString: $0) } ?? "libarchive status \(status)"
        return CoveError(.invalidInput, message, cause: detail)
    }

    static let blockSize = 128 << 10
}

/// Holds a pull source and its buffer for libarchive's read callback.
private final class SourceBox {
    let source: ArchiveReader.Source
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ArchiveReader.blockSize, alignment: 16)
    var error: CoveError?

    init(_ source: @escaping ArchiveReader.Source) { self.source = source }

    deinit { buffer.deallocate() }
}

/// libarchive's read callback: asks the source for the next bytes.
private func readFromSource(
    _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
    _ output: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
    guard let context else { return -1 }
    let box = Unmanaged<SourceBox>.fromOpaque(context).takeUnretainedValue()
    do {
        let count = try box.source(box.buffer)
        output?.pointee = UnsafeRawPointer(box.buffer.baseAddress)
        return count
    } catch {
        box.error = error
        return -1
    }
}
