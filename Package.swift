// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "eksnet",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "EKSNetCore", targets: ["EKSNetCore"]),
        .library(name: "EKSNetServer", targets: ["EKSNetServer"]),
        .executable(name: "eksnet-server", targets: ["eksnet-server"]),
        .executable(name: "eksnet", targets: ["eksnet"]),
    ],
    dependencies: [
        // "FullFoundation" only: the default "ConfigurationSupport" trait pulls swift-configuration, which we do not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Already in the graph through Hummingbird's dependencies: SHA-256 for owner keys and request fingerprints.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // W3C Trace Context (traceparent) parsing and ids: one small target over swift-collections, already in the graph.
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        // The PostgreSQL job store (--job-store postgres): PostgresClient with its connection pool, LISTEN/NOTIFY.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "EKSNetCore"),
        // JSON at the edge, generic over every Codable: the strict RFC 8259 reader, the tree decoder and the streaming
        // encoder, apart from the HTTP layer so that they can be tested and fuzzed alone.
        .target(name: "EKSNetJSON", dependencies: ["EKSNetCore"]),
        // `--instance-types-file`: the one loader the service and the CLI share (file bounds, SHA-256 label).
        .target(
            name: "EKSNetInstanceTypesFile",
            dependencies: ["EKSNetCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "EKSNetServer",
            dependencies: [
                "EKSNetCore",
                "EKSNetJSON",
                "EKSNetInstanceTypesFile",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            resources: [.copy("Resources/openapi.yaml")]
        ),
        .executableTarget(
            name: "eksnet-server",
            dependencies: [
                "EKSNetCore",
                "EKSNetServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "eksnet",
            dependencies: [
                "EKSNetCore", "EKSNetInstanceTypesFile", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "eksnet-bench", dependencies: ["EKSNetCore", "EKSNetJSON", "EKSNetServer"]),
        // Fuzz targets over every parser of outside input; scripts/fuzz builds eksnet-fuzz with libFuzzer.
        .target(name: "EKSNetFuzzing", dependencies: ["EKSNetCore", "EKSNetJSON"]),
        .executableTarget(name: "eksnet-fuzz", dependencies: ["EKSNetFuzzing"]),
        .testTarget(name: "EKSNetFuzzingTests", dependencies: ["EKSNetFuzzing"]),
        .testTarget(name: "EKSNetCoreTests", dependencies: ["EKSNetCore"]),
        .testTarget(name: "EKSNetJSONTests", dependencies: ["EKSNetJSON", "EKSNetCore"]),
        .testTarget(name: "EKSNetCLITests"),
        .testTarget(
            name: "EKSNetServerTests",
            dependencies: [
                "EKSNetServer",
                "EKSNetJSON",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ]
)
