/// Real-shaped OCI and Docker documents (digests are made up, shapes and fields are as registries
/// serve them).
enum OCISamples {
    /// busybox's Docker manifest list, several platforms, with fields Cove does not know.
    static let busyboxManifestList = """
        {
          "manifests": [
            {"digest": "sha256:023917ec6a886d0e8e15f28fb543515a5fcd8d938edb091e8147db4efed388ee",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "amd64", "os": "linux"}, "size": 528},
            {"digest": "sha256:0e0ee8e2af3b4e5e8c1d2c1f1d93e74ef5d5f1c6f77bbd2b2c26ba8e4b1e0a11",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "arm", "os": "linux", "variant": "v5"}, "size": 528},
            {"digest": "sha256:1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "arm", "os": "linux", "variant": "v6"}, "size": 527},
            {"digest": "sha256:2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}, "size": 527},
            {"digest": "sha256:3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}, "size": 527},
            {"digest": "sha256:4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "386", "os": "linux"}, "size": 528},
            {"digest": "sha256:5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "ppc64le", "os": "linux"}, "size": 528},
            {"digest": "sha256:6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "riscv64", "os": "linux"}, "size": 528},
            {"digest": "sha256:7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e",
             "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "platform": {"architecture": "s390x", "os": "linux"}, "size": 528}
          ],
          "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
          "schemaVersion": 2
        }
        """

    /// An OCI index as BuildKit pushes it: two images, each with an attestation manifest.
    static let ociIndexWithAttestations = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json",
             "digest": "sha256:a1a2a3a4a5a6a7a8a9a0b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6c7c8c9c0d1d2",
             "size": 1022,
             "annotations": {"org.opencontainers.image.revision": "abc123"},
             "platform": {"architecture": "amd64", "os": "linux"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json",
             "digest": "sha256:b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6c7c8c9c0d1d2d3d4d5d6d7d8d9d0e1e2",
             "size": 1022,
             "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json",
             "digest": "sha256:c1c2c3c4c5c6c7c8c9c0d1d2d3d4d5d6d7d8d9d0e1e2e3e4e5e6e7e8e9e0f1f2",
             "size": 566,
             "annotations": {
               "vnd.docker.reference.digest": "sha256:a1a2a3a4a5a6a7a8a9a0b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6c7c8c9c0d1d2",
               "vnd.docker.reference.type": "attestation-manifest"},
             "platform": {"architecture": "unknown", "os": "unknown"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json",
             "digest": "sha256:d1d2d3d4d5d6d7d8d9d0e1e2e3e4e5e6e7e8e9e0f1f2f3f4f5f6f7f8f9f0a1a2",
             "size": 566,
             "annotations": {
               "vnd.docker.reference.digest": "sha256:b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6c7c8c9c0d1d2d3d4d5d6d7d8d9d0e1e2",
               "vnd.docker.reference.type": "attestation-manifest"},
             "platform": {"architecture": "unknown", "os": "unknown"}}
          ],
          "annotations": {"org.opencontainers.image.created": "2024-05-01T10:00:00Z"}
        }
        """

    /// A Docker v2 schema 2 manifest (busybox, one layer).
    static let dockerManifest = """
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": {
              "mediaType": "application/vnd.docker.container.image.v1+json",
              "size": 1457,
              "digest": "sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824"
           },
           "layers": [
              {
                 "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "size": 2155146,
                 "digest": "sha256:ec562eabd705d25bfea8c8d79e4610775e375524af00552fe871d3338261563c"
              }
           ]
        }
        """

    /// An OCI manifest without `mediaType`, two layers, annotations and an unknown field.
    static let ociManifest = """
        {
          "schemaVersion": 2,
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7",
            "size": 7023
          },
          "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
             "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0",
             "size": 32654},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
             "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b",
             "size": 16724,
             "urls": ["https://mirror.example.com/blob"]}
          ],
          "annotations": {"com.example.key1": "value1"},
          "x-vendor-extension": {"anything": [1, 2, 3]}
        }
        """

    /// A Docker image config with the nulls Docker writes and a health check.
    static let dockerConfig = """
        {
          "architecture": "amd64",
          "config": {
            "Hostname": "", "Domainname": "", "User": "nginx", "AttachStdin": false,
            "ExposedPorts": {"80/tcp": {}, "443/tcp": {}},
            "Tty": false,
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.25.4"],
            "Cmd": ["nginx", "-g", "daemon off;"],
            "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                            "Interval": 30000000000, "Timeout": 5000000000, "Retries": 3},
            "Image": "sha256:0000000000000000000000000000000000000000000000000000000000000000",
            "Volumes": {"/var/cache/nginx": {}},
            "WorkingDir": "/usr/share/nginx/html",
            "Entrypoint": ["/docker-entrypoint.sh"],
            "OnBuild": null,
            "Labels": {"maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>"},
            "StopSignal": "SIGQUIT"
          },
          "container": "3f0c2d8bbf7e",
          "created": "2024-02-14T18:53:19.123456789Z",
          "docker_version": "20.10.23",
          "history": [
            {"created": "2024-02-13T00:37:52.281826431Z",
             "created_by": "/bin/sh -c #(nop) ADD file:5d6b639e8b6bcc01149b2f9f0e6ea9e8e4d5b2e2e6a7a2c1d1b0d0a7c0f6e1a1 in / "},
            {"created": "2024-02-13T00:37:52.673392564Z", "created_by": "/bin/sh -c #(nop)  CMD [\\"bash\\"]",
             "empty_layer": true},
            {"created": "2024-02-14T18:53:19Z", "created_by": "STOPSIGNAL SIGQUIT", "comment": "buildkit.dockerfile.v0",
             "empty_layer": true}
          ],
          "os": "linux",
          "rootfs": {
            "type": "layers",
            "diff_ids": [
              "sha256:1f00ff201478dbe1ae1f3b4b2b9d3c5e1a8e3c1c0a0d3e9f1b2c3d4e5f6a7b8c",
              "sha256:2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f"
            ]
          }
        }
        """

    /// An OCI config for arm64/v8 with no `config` object at all.
    static let ociConfigMinimal = """
        {"architecture": "arm64", "variant": "v8", "os": "linux",
         "rootfs": {"type": "layers", "diff_ids": []}}
        """

    /// An OCI image layout's `index.json` naming one image.
    static let layoutIndex = """
        {"schemaVersion": 2, "manifests": [
          {"mediaType": "application/vnd.oci.image.index.v1+json",
           "digest": "sha256:e1e2e3e4e5e6e7e8e9e0f1f2f3f4f5f6f7f8f9f0a1a2a3a4a5a6a7a8a9a0b1b2", "size": 856,
           "annotations": {"io.containerd.image.name": "docker.io/library/busybox:latest",
                           "org.opencontainers.image.ref.name": "latest"}}]}
        """
}
