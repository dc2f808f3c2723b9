// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Cove",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cove", targets: ["cove"]),
        .executable(name: "cove-shim", targets: ["CCoveShim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "cove",
            dependencies: ["CoveCLI"]
        ),
        .target(
            name: "CoveCLI",
            dependencies: [
                "CoveCompose",
                "CoveAPI",
                "CoveTerminal",
                "CoveImage",
                "CoveEngine",
                "CoveLinux",
                "CoveCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "CoveCompose",
            dependencies: [
                "CoveCore",
                "CCoveYAML",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Schema/compose-spec.json", "Schema/LICENSE", "Schema/NOTICE"]
        ),
        .target(
            name: "CoveEngine",
            dependencies: [
                "CoveAPI",
                "CoveStore",
                "CoveRuntime",
                "CoveImage",
                "CoveLinux",
                "CoveCore",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CoveAPI",
            dependencies: [
                "CoveHTTP",
                "CoveCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "CoveImage",
            dependencies: [
                "CoveLinux",
                "CoveHTTP",
                "CoveCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // A small HTTP/1.1 client over swift-nio (UNIX socket or TCP), shared by the engine client
        // (CoveAPI) and the registry client (CoveImage).
        .target(
            name: "CoveHTTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Progress events of pulls and pushes and their renderers (terminal bars, plain lines).
        .target(name: "CoveTerminal", dependencies: ["CoveAPI", "CoveCore"]),
        .target(
            name: "CoveStore",
            dependencies: [
                "CoveImage",
                "CoveCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "CoveLinux", dependencies: ["CoveCore", "CCoveLinux", "CCoveArchive"]),
        // Debian's libarchive (libarchive-dev), used only by CoveLinux's archive types.
        .systemLibrary(name: "CCoveArchive", pkgConfig: "libarchive"),
        .target(name: "CCoveLinux"),
        .target(
            name: "CoveRuntime",
            dependencies: ["CoveLinux", "CoveCore", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Seccomp/docker-default.json", "Seccomp/LICENSE", "Seccomp/NOTICE"],
        ),
        // The per-container shim and container init: C only, no Swift runtime (DESIGN.md).
        // swiftc links every executable; -nostartfiles drops swiftrt.o (the only reference to
        // the Swift runtime) and -static-stdlib turns -lswiftCore into an archive nothing pulls
        // from, so the binary needs libc and libseccomp only (checked by ShimBinaryTests).
        .executableTarget(
            name: "CCoveShim",
            cSettings: [.unsafeFlags(["-Os", "-Wall", "-Wextra", "-Werror"])],
            linkerSettings: [.linkedLibrary("seccomp"), .unsafeFlags(["-static-stdlib", "-nostartfiles"])]
        ),
        // libyaml's events as flat data for the Compose loader's YAML stage; the libyaml is
        // the one Yams vendors.
        .target(
            name: "CCoveYAML",
            dependencies: [.product(name: "Yams", package: "Yams")],
            cSettings: [.define("YAML_DECLARE_STATIC")]
        ),
        .target(name: "CoveCore"),
        .testTarget(name: "CoveCoreTests", dependencies: ["CoveCore"]),
        // Test helper, not shipped: CoveStoreTests' crash test runs it and kills it with SIGKILL.
        .executableTarget(
            name: "cove-store-crash-helper",
            dependencies: ["CoveStore", "CoveImage", "CoveCore"],
            path: "Tests/CoveStoreCrashHelper"
        ),
        // Test and bench helper, not shipped: unpacks one layer (SnapshotStoreTests, bench/bench.py).
        .executableTarget(
            name: "cove-layer-helper",
            dependencies: ["CoveImage", "CoveCore"],
            path: "Tests/CoveLayerHelper"
        ),
        .testTarget(
            name: "CoveStoreTests",
            dependencies: ["CoveStore", "CoveImage", "CoveCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "CoveAPITests", dependencies: ["CoveAPI", "CoveCore"]),
        .testTarget(name: "CoveImageTests", dependencies: ["CoveImage", "CoveHTTP", "CoveLinux", "CoveCore"]),
        .testTarget(name: "CoveLinuxTests", dependencies: ["CoveLinux", "CoveCore"]),
        .testTarget(
            name: "CoveEngineTests",
            dependencies: [
                "CoveEngine",
                "CoveAPI",
                "CoveStore",
                "CoveImage",
                "CoveLinux",
                "CoveCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CoveComposeTests",
            dependencies: ["CoveCompose", "CoveCore"],
            exclude: ["Fixtures"]
        ),
        // Bench helper, not shipped: bench/bench.py times containers through CoveRuntime with it.
        .executableTarget(
            name: "cove-runtime-bench",
            dependencies: ["CoveRuntime", "CoveLinux", "CoveCore"],
            path: "Tests/CoveRuntimeBench"
        ),
        .testTarget(
            name: "CoveRuntimeTests",
            dependencies: ["CoveRuntime", "CoveLinux", "CoveCore"]
        ),
        .testTarget(
            name: "CoveCLITests", dependencies: ["CoveCLI", "CoveTerminal", "CoveAPI", "CoveCompose", "CoveCore"]),
    ],
    swiftLanguageModes: [.v6]
)
