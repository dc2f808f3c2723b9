import CoveCore
import CoveLinux
import Foundation
import Testing

/// ArchiveReader and ArchiveWriter on archives written in a scratch directory (no root needed).
@Suite final class ArchiveTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "cove-archive-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One entry of each kind, with the metadata a layer carries.
    static let sample: [(ArchiveEntry, [UInt8])] = [
        (ArchiveEntry(path: "usr/", kind: .directory, mode: 0o755, modificationTime: 1_700_000_000), []),
        (
            ArchiveEntry(
                path: "usr/bin/ping", kind: .regular, mode: 0o4755, uid: 0, gid: 0, userName: "root",
                groupName: "root", modificationTime: 1_700_000_001, modificationNanoseconds: 500_000_000,
                xattrs: [ExtendedAttribute(name: "security.capability", value: [1, 0, 0, 2, 0, 0x20, 0, 0])]),
            Array("ping binary".utf8)
        ),
        (ArchiveEntry(path: "usr/bin/ping6", kind: .hardlink, linkTarget: "usr/bin/ping", mode: 0o4755), []),
        (ArchiveEntry(path: "usr/bin/sh", kind: .symlink, linkTarget: "/bin/busybox", mode: 0o777), []),
        (ArchiveEntry(path: "tmp/", kind: .directory, mode: 0o1777, uid: 7, gid: 8), []),
        (ArchiveEntry(path: "dev/null", kind: .characterDevice, mode: 0o666, deviceMajor: 1, deviceMinor: 3), []),
        (ArchiveEntry(path: "dev/sda", kind: .blockDevice, mode: 0o660, gid: 6, deviceMajor: 8, deviceMinor: 0), []),
        (ArchiveEntry(path: "run/fifo", kind: .fifo, mode: 0o2640, uid: 1000, gid: 1000), []),
        (
            ArchiveEntry(path: "home/user/" + String(repeating: "long-name-", count: 30), kind: .regular, uid: 1000),
            Array(repeating: 7, count: 70_000)
        ),
    ]

    func writeSample(_ path: String, compression: ArchiveWriter.Compression = .none) throws {
        let writer = try ArchiveWriter(path: path, compression: compression)
        for (entry, data) in Self.sample { try writer.write(entry, data: data) }
        try writer.finish()
    }

    func readAll(_ reader: ArchiveReader) throws -> [(ArchiveEntry, [UInt8])] {
        var result: [(ArchiveEntry, [UInt8])] = []
        while let entry = try reader.next() {
            result.append((entry, try reader.readAll(maximumSize: 1 << 20)))
        }
        return result
    }

    func expectSample(_ read: [(ArchiveEntry, [UInt8])]) {
        #expect(read.count == Self.sample.count)
        for ((got, data), (wanted, wantedData)) in zip(read, Self.sample) {
            var wanted = wanted
            if wanted.kind == .regular { wanted.size = Int64(wantedData.count) }
            #expect(got == wanted)
            #expect(data == wantedData, "data of \(wanted.path)")
        }
    }

    @Test func everyKindOfEntryRoundTripsThroughPax() throws {
        let path = directory + "/sample.tar"
        try writeSample(path)
        let reader = try ArchiveReader(path: path)
        expectSample(try readAll(reader))
        #expect(reader.compression.isEmpty)
        #expect(reader.bytesRead == Int64(Self.sample.reduce(0) { $0 + $1.1.count }))
    }

    @Test(arguments: [
        (ArchiveWriter.Compression.gzip, "gzip"), (.zstd, "zstd"), (.xz, "xz"),
    ])
    func compressionIsDetectedFromTheBytes(compression: ArchiveWriter.Compression, filter: String) throws {
        let path = directory + "/sample.tar.\(filter)"
        try writeSample(path, compression: compression)
        let reader = try ArchiveReader(path: path)
        expectSample(try readAll(reader))
        #expect(reader.compression == [filter])
    }

    @Test func pullSourceSeesEveryRawByteAndRawFormatGivesTheDecompressedStream() throws {
        let plain = directory + "/plain.tar"
        let packed = directory + "/packed.tar.gz"
        try writeSample(plain)
        try writeSample(packed, compression: .gzip)
        let handle = try #require(FileHandle(forReadingAtPath: packed))
        defer { try? handle.close() }
        var seen = 0
        let reader = try ArchiveReader(name: "packed", format: .raw) { buffer in
            let chunk = (try? handle.read(upToCount: 1000)) ?? Data()
            chunk.copyBytes(to: buffer.bindMemory(to: UInt8.self), count: chunk.count)
            seen += chunk.count
            return chunk.count
        }
        #expect(try reader.next() != nil)
        let decompressed = try reader.readAll(maximumSize: 1 << 24)
        #expect(try reader.next() == nil)
        #expect(seen == (try FileManager.default.attributesOfItem(atPath: packed)[.size] as? Int))
        #expect(Data(decompressed) == FileManager.default.contents(atPath: plain))
    }

    @Test func sourceErrorsComeBackAsTheirOwnError() throws {
        let error = #expect(throws: CoveError.self) {
            let reader = try ArchiveReader(name: "failing") { _ throws(CoveError) in
                throw CoveError(.io, "the network went away")
            }
            _ = try reader.next()
        }
        #expect(error?.code == .io)
        #expect(error?.message == "the network went away")
    }

    @Test func dataBeyondTheLimitIsRefusedAsABomb() throws {
        let path = directory + "/bomb.tar.zst"
        let writer = try ArchiveWriter(path: path, compression: .zstd)
        for index in 0..<4 {
            try writer.write(
                ArchiveEntry(path: "zeros\(index)", kind: .regular), data: Array(repeating: 0, count: 1 << 20))
        }
        try writer.finish()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 10_000, "4 MiB of zeros compress to almost nothing")
        let limits = ArchiveReader.Limits(maximumBytes: 3 << 20, maximumEntries: 100, maximumNameLength: 100)
        let reader = try ArchiveReader(path: path, limits: limits)
        let error = #expect(throws: CoveError.self) { _ = try self.readAll(reader) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("decompression bomb") == true)
        #expect(error?.message.contains("\"zeros3\"") == true)
    }

    @Test func tooManyEntriesAndTooLongNamesAreRefused() throws {
        let path = directory + "/many.tar"
        try writeSample(path)
        let few = ArchiveReader.Limits(maximumBytes: 1 << 30, maximumEntries: 3, maximumNameLength: 4096)
        let error = #expect(throws: CoveError.self) { _ = try self.readAll(try ArchiveReader(path: path, limits: few)) }
        #expect(error?.message.contains("more than 3 entries") == true)
        let short = ArchiveReader.Limits(maximumBytes: 1 << 30, maximumEntries: 100, maximumNameLength: 100)
        let named = #expect(throws: CoveError.self) {
            _ = try self.readAll(try ArchiveReader(path: path, limits: short))
        }
        #expect(named?.message.contains("longer than 100 bytes") == true)
    }

    @Test func truncatedArchiveFailsNamingTheEntry() throws {
        let path = directory + "/truncated.tar"
        try writeSample(path)
        let whole = try #require(FileManager.default.contents(atPath: path))
        let cut = try #require(whole.range(of: Data(repeating: 7, count: 1000)))
        try whole.prefix(cut.lowerBound + 5000).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CoveError.self) { _ = try self.readAll(try ArchiveReader(path: path)) }
        #expect(error?.code == .invalidInput)
        #expect(error?.description.contains("long-name-") == true)
    }

    @Test func garbageIsNotAnArchive() throws {
        let path = directory + "/garbage"
        try Data("this is not a tar archive, just some text that goes on for a while".utf8).write(
            to: URL(fileURLWithPath: path))
        #expect(throws: CoveError.self) { _ = try self.readAll(try ArchiveReader(path: path)) }
        #expect(throws: CoveError.self) { _ = try ArchiveReader(path: self.directory + "/missing") }
    }

    @Test func writerOnADescriptorLeavesItOpen() throws {
        let path = directory + "/fd.tar"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let writer = try ArchiveWriter(descriptor: handle.fileDescriptor, name: "fd.tar", format: .ustar)
        try writer.write(ArchiveEntry(path: "a", kind: .regular), data: Array("hello".utf8))
        try writer.finish()
        try handle.close()
        let reader = try ArchiveReader(path: path)
        let entries = try readAll(reader)
        #expect(entries.map(\.0.path) == ["a"])
        #expect(entries.first?.1 == Array("hello".utf8))
    }
}
