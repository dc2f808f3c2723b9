// cove-store-crash-helper: a test helper, not shipped. CoveStoreTests' crash test runs it and kills
// it with SIGKILL at random moments. It writes image blobs and registers, tags, deletes and
// garbage-collects images in a loop over the store at `<root>`, forever, and reports on stdout
// `registered <id>` after each registration committed and `deleting <id>` before each deletion
// starts, so the test knows which images must have survived.
import CoveCore
import CoveImage
import CoveStore
import Foundation

/// A small seeded generator (SplitMix64), so each run is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Writes the blobs of a random image and returns its registration.
func makeImage(_ number: Int, content: ContentStore, random: inout SplitMix64) throws -> ImageRegistration {
    var layers: [Descriptor] = []
    for index in 0..<Int.random(in: 1...6, using: &random) {
        var bytes = Data("image \(number) layer \(index)\n".utf8)
        bytes.append(
            contentsOf: (0..<Int.random(in: 0...50_000, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            })
        let stored = try content.write(bytes)
        layers.append(Descriptor(mediaType: MediaType.ociLayer, digest: stored.digest, size: stored.size))
    }
    let config = ImageConfig(
        architecture: "amd64", os: "linux", config: ContainerConfig(labels: ["number": "\(number)"]),
        rootfs: RootFS(diffIDs: layers.map(\.digest)), created: "2024-01-02T03:04:05Z")
    let configBlob = try content.write(try OCIJSON.encode(config))
    let manifest = ImageManifest(
        config: Descriptor(mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size),
        layers: layers)
    let manifestBlob = try content.write(try OCIJSON.encode(manifest))
    return try ImageRegistration(
        manifest: manifest, manifestDigest: manifestBlob.digest, config: config,
        references: [try ImageReference(parsing: "crash/test:\(number)")])
}

func run(root: URL, run: Int) throws {
    let state = try StateStore(root: root)
    let content = try ContentStore(root: root.appendingPathComponent("content", isDirectory: true))
    let images = ImageRepository(state: state, content: content)
    var random = SplitMix64(state: UInt64(run))
    var number = run * 1_000_000
    while true {
        number += 1
        let registration = try makeImage(number, content: content, random: &random)
        try images.register(registration)
        report("registered \(registration.id)")
        let choice = Int.random(in: 0..<10, using: &random)
        if choice < 3, let victim = try images.list().randomElement(using: &random) {
            report("deleting \(victim.id)")
            _ = try images.delete(victim.id.description, force: true)
        } else if choice == 3 {
            _ = try images.tag(registration.id.description, as: try ImageReference(parsing: "crash/extra:\(number)"))
        } else if choice == 4 {
            try images.garbageCollect()
        }
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let runNumber = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: cove-store-crash-helper <root> <run number>\n".utf8))
    exit(2)
}
do {
    try run(root: URL(fileURLWithPath: arguments[1], isDirectory: true), run: runNumber)
} catch {
    FileHandle.standardError.write(Data("cove-store-crash-helper: \(error)\n".utf8))
    exit(1)
}
