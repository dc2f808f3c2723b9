// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Cove",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cove", targets: ["cove"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
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
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Schema/compose-spec.json", "Schema/LICENSE", "Schema/NOTICE"]
        ),
        .target(
            name: "CoveEngine",
            dependencies: [
                "CoveAPI",
                "CoveStore",
                "CoveImage",
                "CoveLinux",
                "CoveCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CoveAPI",
            dependencies: [
                "CoveCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "CoveImage",
            dependencies: [
                "CoveCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CoveStore",
            dependencies: [
                "CoveImage",
                "CoveCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "CoveLinux", dependencies: ["CoveCore"]),
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
        .testTarget(
            name: "CoveStoreTests",
            dependencies: ["CoveStore", "CoveImage", "CoveCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "CoveAPITests", dependencies: ["CoveAPI", "CoveCore"]),
        .testTarget(name: "CoveImageTests", dependencies: ["CoveImage", "CoveCore"]),
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
            ]
        ),
        .testTarget(
            name: "CoveComposeTests",
            dependencies: ["CoveCompose", "CoveCore"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "CoveCLITests", dependencies: ["CoveCLI", "CoveCompose", "CoveCore"]),
    ],
    swiftLanguageModes: [.v6]
)
