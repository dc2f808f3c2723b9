import CoveCore
import Foundation
import Testing

@testable import CoveImage

@Suite struct OCIModelTests {
    static let linuxAMD64 = Platform(os: "linux", architecture: "amd64")

    static func data(_ text: String) -> Data { Data(text.utf8) }

    @Test func decodesBusyboxManifestList() throws {
        let index = try OCIJSON.decode(
            ImageIndex.self, from: Self.data(OCISamples.busyboxManifestList), document: "index")
        #expect(index.isDocker)
        #expect(index.manifests.count == 9)
        #expect(index.manifests[4].platform == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(index.manifests[0].size == 528)
        #expect(index.platforms.count == 9)
    }

    @Test(arguments: [
        ("linux/amd64", "sha256:023917ec"),
        ("linux/arm64", "sha256:3b4c5d6e"),
        ("linux/arm64/v8", "sha256:3b4c5d6e"),
        ("linux/arm/v7", "sha256:2a3b4c5d"),
        ("linux/arm", "sha256:2a3b4c5d"),
        ("linux/arm/v6", "sha256:1e2f3a4b"),
        ("linux/386", "sha256:4c5d6e7f"),
        ("linux/s390x", "sha256:7f8091a2"),
        ("linux/amd64/v3", "sha256:023917ec"),
    ])
    func choosesTheManifestForAPlatform(_ specifier: String, _ digestPrefix: String) throws {
        let index = try OCIJSON.decode(
            ImageIndex.self, from: Self.data(OCISamples.busyboxManifestList), document: "index")
        let platform = try Platform.parse(specifier, host: Self.linuxAMD64)
        let chosen = try index.manifest(for: platform)
        #expect(chosen.digest.description.hasPrefix(digestPrefix))
    }

    @Test func fallsBackToACompatiblePlatformInPreferenceOrder() throws {
        let index = try OCIJSON.decode(
            ImageIndex.self, from: Self.data(OCISamples.busyboxManifestList), document: "index")
        // Without its own arm/v8 entry, an arm64 host would take arm64 first, then arm/v7, v6, v5.
        var armOnly = index
        armOnly.manifests.removeAll { $0.platform?.architecture == "arm64" }
        let order = armOnly.manifests(for: Platform(os: "linux", architecture: "arm64")).compactMap(\.platform?.variant)
        #expect(order == ["v7", "v6", "v5"])
    }

    @Test func noMatchIsDockersError() throws {
        let index = try OCIJSON.decode(
            ImageIndex.self, from: Self.data(OCISamples.busyboxManifestList), document: "index")
        #expect {
            try index.manifest(for: Platform(os: "windows", architecture: "amd64"))
        } throws: { error in
            let error = error as? CoveError
            return error?.code == .notFound
                && error?.message == "no matching manifest for windows/amd64 in the manifest list entries"
        }
    }

    @Test func attestationManifestsAreNeverChosen() throws {
        let index = try OCIJSON.decode(
            ImageIndex.self, from: Self.data(OCISamples.ociIndexWithAttestations), document: "index")
        #expect(!index.isDocker)
        #expect(index.manifests.count == 4)
        #expect(index.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8"])
        #expect(try index.manifest(for: Platform(os: "linux", architecture: "arm64")).size == 1022)
        #expect(index.manifests[2].annotations?[Annotation.dockerReferenceType] == "attestation-manifest")
        #expect(throws: CoveError.self) { try index.manifest(for: Platform(os: "unknown", architecture: "unknown")) }
    }

    @Test func decodesDockerAndOCIManifests() throws {
        let docker = try OCIJSON.decode(ImageManifest.self, from: Self.data(OCISamples.dockerManifest), document: "m")
        #expect(docker.isDocker)
        #expect(docker.config.mediaType == MediaType.dockerConfig)
        #expect(docker.layers.map(\.size) == [2_155_146])
        #expect(MediaType.isLayer(docker.layers[0].mediaType))

        let oci = try OCIJSON.decode(ImageManifest.self, from: Self.data(OCISamples.ociManifest), document: "m")
        #expect(oci.mediaType == nil)
        #expect(!oci.isDocker)
        #expect(oci.layers.count == 2)
        #expect(oci.layers[1].mediaType == MediaType.ociLayerZstd)
        #expect(oci.layers[1].urls == ["https://mirror.example.com/blob"])
        #expect(oci.annotations == ["com.example.key1": "value1"])
    }

    @Test func decodesADockerImageConfig() throws {
        let config = try OCIJSON.decode(ImageConfig.self, from: Self.data(OCISamples.dockerConfig), document: "config")
        #expect(config.platform == Self.linuxAMD64)
        #expect(config.created == "2024-02-14T18:53:19.123456789Z")
        let container = try #require(config.config)
        #expect(container.user == "nginx")
        #expect(container.exposedPorts == ["443/tcp", "80/tcp"])
        #expect(container.exposedPorts?.contains("80/tcp") == true)
        #expect(container.volumes?.keys == ["/var/cache/nginx"])
        #expect(container.entrypoint == ["/docker-entrypoint.sh"])
        #expect(container.cmd == ["nginx", "-g", "daemon off;"])
        #expect(container.env?.count == 2)
        #expect(container.workingDir == "/usr/share/nginx/html")
        #expect(container.stopSignal == "SIGQUIT")
        #expect(container.labels?["maintainer"]?.hasPrefix("NGINX") == true)
        #expect(container.onBuild == nil)
        #expect(container.healthcheck?.test == ["CMD-SHELL", "curl -f http://localhost/ || exit 1"])
        #expect(container.healthcheck?.interval == 30_000_000_000)
        #expect(container.healthcheck?.retries == 3)
        #expect(config.rootfs.diffIDs.count == 2)
        #expect(config.history?.count == 3)
        #expect(config.history?[1].emptyLayer == true)
        #expect(config.history?[2].comment == "buildkit.dockerfile.v0")
    }

    @Test func decodesAMinimalOCIConfig() throws {
        let config = try OCIJSON.decode(
            ImageConfig.self, from: Self.data(OCISamples.ociConfigMinimal), document: "config")
        #expect(config.config == nil)
        #expect(config.platform.description == "linux/arm64/v8")
        #expect(PlatformMatcher(Platform(os: "linux", architecture: "arm64")).matches(config.platform))
        #expect(config.rootfs.diffIDs.isEmpty)
    }

    @Test func encodingRoundTripsWithDockersFieldNames() throws {
        let config = try OCIJSON.decode(ImageConfig.self, from: Self.data(OCISamples.dockerConfig), document: "config")
        let encoded = try OCIJSON.encode(config)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""ExposedPorts":{"443/tcp":{},"80/tcp":{}}"#))
        #expect(text.contains(#""diff_ids":["sha256:"#))
        #expect(text.contains(#""empty_layer":true"#))
        #expect(!text.contains("null"))
        #expect(try OCIJSON.decode(ImageConfig.self, from: encoded, document: "config") == config)

        let manifest = try OCIJSON.decode(ImageManifest.self, from: Self.data(OCISamples.ociManifest), document: "m")
        #expect(try OCIJSON.decode(ImageManifest.self, from: OCIJSON.encode(manifest), document: "m") == manifest)
    }

    @Test func layoutIndexNamesImagesByAnnotation() throws {
        let index = try OCIJSON.decode(ImageIndex.self, from: Self.data(OCISamples.layoutIndex), document: "index.json")
        #expect(index.mediaType == nil)
        #expect(index.manifests[0].annotations?[Annotation.refName] == "latest")
        #expect(index.manifests[0].annotations?[Annotation.containerdImageName] == "docker.io/library/busybox:latest")
        #expect(index.platforms.isEmpty)
    }

    @Test(
        arguments: [
            (OCISamples.dockerManifest, nil, "manifest"),
            (OCISamples.ociManifest, nil, "manifest"),
            (OCISamples.busyboxManifestList, nil, "index"),
            (OCISamples.layoutIndex, nil, "index"),
            (
                OCISamples.dockerManifest, "application/vnd.docker.distribution.manifest.v2+json; charset=utf-8",
                "manifest"
            ),
            (OCISamples.ociIndexWithAttestations, "application/json", "index"),
        ] as [(String, String?, String)])
    func manifestContentDetectsTheKind(_ json: String, _ contentType: String?, _ kind: String) throws {
        switch try ManifestContent.decode(Self.data(json), mediaType: contentType) {
        case .manifest: #expect(kind == "manifest")
        case .index: #expect(kind == "index")
        }
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var json: String
        var message: String
        var testDescription: String { message }
    }

    static let d = "sha256:" + String(repeating: "a", count: 64)

    @Test(arguments: [
        Bad(
            json: #"{"schemaVersion": 2, "layers": []}"#,
            message: #"invalid image manifest: missing required field "config""#),
        Bad(
            json: #"{"schemaVersion": 2, "config": {"mediaType": "x", "size": 1}, "layers": []}"#,
            message: #"invalid image manifest: missing required field "digest" at config"#),
        Bad(
            json:
                #"{"schemaVersion": 2, "config": {"mediaType": "x", "digest": "\#(d)", "size": 1}, "layers": [{"mediaType": "x", "digest": "\#(d)"}]}"#,
            message: #"invalid image manifest: missing required field "size" at layers[0]"#),
        Bad(
            json: #"{"schemaVersion": 2, "config": {"mediaType": "x", "digest": "\#(d)", "size": "1"}, "layers": []}"#,
            message: "invalid image manifest: field config.size has the wrong type, expected an integer"),
        Bad(
            json: #"{"schemaVersion": 2, "config": {"mediaType": "x", "digest": "\#(d)", "size": -5}, "layers": []}"#,
            message: "invalid image manifest: field config.size: the size must not be negative, it is -5"),
        Bad(
            json:
                #"{"schemaVersion": 2, "config": {"mediaType": "x", "digest": "sha256:../../x", "size": 1}, "layers": []}"#,
            message: "invalid image manifest: field config.digest: invalid digest"),
        Bad(
            json: #"{"schemaVersion": 1, "config": {"mediaType": "x", "digest": "\#(d)", "size": 1}, "layers": []}"#,
            message: "unsupported schemaVersion 1 (Docker schema 1 manifests are not supported)"),
        Bad(
            json:
                #"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "config": {"mediaType": "x", "digest": "\#(d)", "size": 1}, "layers": []}"#,
            message: "expected an image manifest, found media type \"application/vnd.oci.image.index.v1+json\""),
        Bad(json: #"{"schemaVersion": 2, "config": null, "layers": []}"#, message: "field config is null"),
        Bad(json: #"{"schemaVersion": 2, "config": "#, message: "invalid image manifest: not valid JSON"),
        Bad(json: #"[1, 2]"#, message: "invalid image manifest: the document has the wrong type, expected"),
    ])
    func badManifestsGetClearErrors(_ bad: Bad) {
        #expect {
            try OCIJSON.decode(ImageManifest.self, from: Self.data(bad.json), document: "image manifest")
        } throws: { error in
            let error = error as? CoveError
            return error?.code == .invalidInput && error?.message.contains(bad.message) == true
        }
    }

    @Test(arguments: [
        Bad(json: #"{"schemaVersion": 2}"#, message: #"invalid image index: missing required field "manifests""#),
        Bad(
            json:
                #"{"schemaVersion": 2, "manifests": [{"mediaType": "x", "digest": "\#(d)", "size": 1, "platform": {"os": "linux"}}]}"#,
            message: #"missing required field "architecture" at manifests[0].platform"#),
        Bad(
            json:
                #"{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "manifests": []}"#,
            message: "expected an image index"),
    ])
    func badIndexesGetClearErrors(_ bad: Bad) {
        #expect {
            try OCIJSON.decode(ImageIndex.self, from: Self.data(bad.json), document: "image index")
        } throws: { error in
            (error as? CoveError)?.message.contains(bad.message) == true
        }
    }

    @Test(arguments: [
        Bad(
            json: #"{"os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}"#,
            message: #"missing required field "architecture""#),
        Bad(json: #"{"architecture": "amd64", "os": "linux"}"#, message: #"missing required field "rootfs""#),
        Bad(
            json: #"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "other", "diff_ids": []}}"#,
            message: "unsupported rootfs type \"other\""),
        Bad(
            json: #"{"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["nope"]}}"#,
            message: "field rootfs.diff_ids[0]: invalid digest \"nope\""),
        Bad(
            json:
                #"{"architecture": "amd64", "os": "linux", "config": {"Cmd": "sh"}, "rootfs": {"type": "layers", "diff_ids": []}}"#,
            message: "field config.Cmd has the wrong type"),
    ])
    func badConfigsGetClearErrors(_ bad: Bad) {
        #expect {
            try OCIJSON.decode(ImageConfig.self, from: Self.data(bad.json), document: "image config")
        } throws: { error in
            (error as? CoveError)?.message.contains(bad.message) == true
        }
    }

    @Test func manifestContentRejectsSchema1AndUnknownTypes() {
        let schema1 = #"{"schemaVersion": 1, "name": "library/busybox", "tag": "latest", "fsLayers": []}"#
        #expect {
            try ManifestContent.decode(Self.data(schema1))
        } throws: { error in
            (error as? CoveError)?.message.contains("schema 1 is not supported") == true
        }
        #expect {
            try ManifestContent.decode(Self.data(#"{"schemaVersion": 2, "mediaType": "text/plain"}"#))
        } throws: { error in
            (error as? CoveError)?.message == "unsupported manifest media type \"text/plain\""
        }
        #expect {
            try ManifestContent.decode(Self.data(#"{"schemaVersion": 2}"#))
        } throws: { error in
            (error as? CoveError)?.message.contains("not an image manifest or index") == true
        }
    }
}
