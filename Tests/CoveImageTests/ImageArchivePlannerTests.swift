import CoveCore
import Foundation
import Testing

@testable import CoveImage

/// How `docker load` archives are interpreted, without touching any file.
@Suite struct ImageArchivePlannerTests {
    /// Blobs in memory, with the contents an archive reader would have gathered.
    struct Archive {
        var blobs: [Digest: Data] = [:]
        var contents = ImageArchiveContents()

        mutating func store(_ data: Data, at path: String) -> Digest {
            let digest = Digest.sha256(of: data)
            blobs[digest] = data
            contents.blobs[ImageArchiveContents.normalize(path)] = digest
            return digest
        }

        func images(platform: Platform = Platform(os: "linux", architecture: "amd64")) throws(CoveError)
            -> [ArchivedImage]
        {
            let blobs = self.blobs
            return try ImageArchivePlanner(contents: contents, platform: platform).images(
                read: { digest throws(CoveError) in
                    guard let data = blobs[digest] else { throw CoveError(.notFound, "no blob \(digest)") }
                    return data
                },
                describeLayer: { digest throws(CoveError) in
                    let data = blobs[digest] ?? Data()
                    return (
                        data.starts(with: [0x1F, 0x8B]) ? MediaType.ociLayerGzip : MediaType.ociLayer, Int64(data.count)
                    )
                })
        }
    }

    static func config(diffIDs: [Digest], architecture: String = "amd64") throws -> Data {
        try OCIJSON.encode(ImageConfig(architecture: architecture, os: "linux", rootfs: RootFS(diffIDs: diffIDs)))
    }

    @Test func legacyDockerSaveWithASymlinkedLayer() throws {
        var archive = Archive()
        let layer = archive.store(Data("layer one".utf8), at: "aaa/layer.tar")
        archive.contents.addLink(at: "bbb/layer.tar", to: "../aaa/layer.tar", symbolic: true)
        let config = archive.store(try Self.config(diffIDs: [layer, layer]), at: "cfg.json")
        archive.contents.documents["manifest.json"] = Data(
            #"[{"Config":"cfg.json","RepoTags":["busybox:latest","x/y:1"],"Layers":["aaa/layer.tar","./bbb/layer.tar"]}]"#
                .utf8)
        let images = try archive.images()
        #expect(images.count == 1)
        #expect(images[0].manifestDigest == nil)
        #expect(images[0].manifest.config.digest == config)
        #expect(images[0].manifest.layers.map(\.digest) == [layer, layer])
        #expect(images[0].references.map(\.string) == ["docker.io/library/busybox:latest", "docker.io/x/y:1"])
    }

    @Test func anUncompressedLayerMustMatchItsDiffID() throws {
        var archive = Archive()
        _ = archive.store(Data("layer".utf8), at: "l/layer.tar")
        _ = archive.store(try Self.config(diffIDs: [Digest.sha256(of: Data("other".utf8))]), at: "c.json")
        archive.contents.documents["manifest.json"] = Data(#"[{"Config":"c.json","Layers":["l/layer.tar"]}]"#.utf8)
        let error = #expect(throws: CoveError.self) { try archive.images() }
        #expect(error?.message.contains("diff id 0") == true)
    }

    @Test func missingFilesAreNamed() throws {
        var archive = Archive()
        archive.contents.documents["manifest.json"] = Data(#"[{"Config":"gone.json","Layers":[]}]"#.utf8)
        let error = #expect(throws: CoveError.self) { try archive.images() }
        #expect(error?.message == "manifest.json names the config gone.json, which is not in the archive")
        archive.contents.documents = [:]
        #expect(throws: CoveError.self) { try archive.images() }
    }

    @Test func anOCILayoutIndexPicksThePlatformAndTheContainerdName() throws {
        var archive = Archive()
        var manifests: [Descriptor] = []
        var chosen: Digest?
        for architecture in ["arm64", "amd64"] {
            let layer = archive.store(Data("layer \(architecture)".utf8), at: "blobs/sha256/l-\(architecture)")
            let configData = try Self.config(diffIDs: [layer], architecture: architecture)
            let config = archive.store(configData, at: "blobs/sha256/c-\(architecture)")
            let manifest = ImageManifest(
                config: Descriptor(mediaType: MediaType.ociConfig, digest: config, size: Int64(configData.count)),
                layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layer, size: 1)])
            let manifestData = try OCIJSON.encode(manifest)
            let digest = archive.store(manifestData, at: "blobs/sha256/m-\(architecture)")
            if architecture == "amd64" { chosen = digest }
            manifests.append(
                Descriptor(
                    mediaType: MediaType.ociManifest, digest: digest, size: Int64(manifestData.count),
                    platform: Platform(os: "linux", architecture: architecture)))
        }
        let nested = try OCIJSON.encode(ImageIndex(manifests: manifests))
        let nestedDigest = archive.store(nested, at: "blobs/sha256/index")
        let top = ImageIndex(manifests: [
            Descriptor(
                mediaType: MediaType.ociIndex, digest: nestedDigest, size: Int64(nested.count),
                annotations: [Annotation.containerdImageName: "registry.local:5000/app:2", Annotation.refName: "2"])
        ])
        archive.contents.documents["index.json"] = try OCIJSON.encode(top)
        let images = try archive.images()
        #expect(images.count == 1)
        #expect(images[0].manifestDigest == chosen)
        #expect(images[0].config.architecture == "amd64")
        #expect(images[0].references.map(\.string) == ["registry.local:5000/app:2"])
    }

    @Test func aBareTagRefNameNamesNothingButAFullOneDoes() {
        #expect(ImageArchivePlanner.names(in: [Annotation.refName: "latest"]).isEmpty)
        #expect(
            ImageArchivePlanner.names(in: [Annotation.refName: "busybox:1"]).map(\.string) == [
                "docker.io/library/busybox:1"
            ])
    }

    @Test func linksResolveRelativeToTheirDirectory() {
        var contents = ImageArchiveContents()
        contents.blobs["a/layer.tar"] = Digest.sha256(of: Data("x".utf8))
        contents.addLink(at: "b/c/layer.tar", to: "../../a/layer.tar", symbolic: true)
        contents.addLink(at: "d", to: "b/c/layer.tar", symbolic: false)
        contents.addLink(at: "loop1", to: "loop2", symbolic: true)
        contents.addLink(at: "loop2", to: "loop1", symbolic: true)
        #expect(contents.blob(at: "d") == contents.blobs["a/layer.tar"])
        #expect(contents.blob(at: "loop1") == nil)
        #expect(ImageArchiveContents.isStored("blobs/sha256/abc"))
        #expect(ImageArchiveContents.isStored("123.json"))
        #expect(!ImageArchiveContents.isStored("manifest.json"))
        #expect(!ImageArchiveContents.isStored("123/json"))
    }
}

/// What `docker save` writes reads back as the same images.
@Suite struct ImageSavePlanTests {
    @Test func aSavedArchiveLoadsBackWithItsManifestAndTags() throws {
        var archive = ImageArchivePlannerTests.Archive()
        let layer = Data("layer".utf8)
        let layerDigest = Digest.sha256(of: layer)
        let configData = try ImageArchivePlannerTests.config(diffIDs: [layerDigest])
        let configDigest = Digest.sha256(of: configData)
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configData.count)),
            layers: [Descriptor(mediaType: MediaType.ociLayer, digest: layerDigest, size: Int64(layer.count))])
        let manifestData = try OCIJSON.encode(manifest)
        let manifestDigest = Digest.sha256(of: manifestData)
        let tags = [try ImageReference(parsing: "busybox:1"), try ImageReference(parsing: "localhost:5000/a/b:c")]
        let plan = try ImageSavePlan(images: [
            ImageSavePlan.Image(
                manifestDigest: manifestDigest, manifestMediaType: MediaType.ociManifest,
                manifestSize: Int64(manifestData.count), configDigest: configDigest, layerDigests: [layerDigest],
                tags: tags)
        ])
        #expect(plan.blobs == [layerDigest, configDigest, manifestDigest])
        #expect(plan.documents.map(\.name) == ["oci-layout", "index.json", "manifest.json"])
        for (digest, data) in [(layerDigest, layer), (configDigest, configData), (manifestDigest, manifestData)] {
            #expect(archive.store(data, at: ImageSavePlan.path(of: digest)) == digest)
        }
        for (name, data) in plan.documents { archive.contents.documents[name] = data }
        let images = try archive.images()
        #expect(images.count == 1)
        #expect(images[0].manifestDigest == manifestDigest)
        #expect(images[0].references == tags)
        archive.contents.documents["manifest.json"] = nil
        let fromIndex = try archive.images()
        #expect(fromIndex.map(\.manifestDigest) == [manifestDigest])
        #expect(fromIndex[0].references == tags)
    }
}
