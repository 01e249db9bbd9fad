import EKSNetFuzzing
import Foundation

// Built two ways. With `-DFUZZING` and `-sanitize=fuzzer` (scripts/fuzz), `main` hands over to libFuzzer's driver
// for the target named by EKSNET_FUZZ_TARGET. Without it, this is a replay tool:
// `eksnet-fuzz <target> <file or directory>…` runs saved inputs through the same target.

#if FUZZING
/// libFuzzer's entry for programs with a `main` of their own (SwiftPM names the executable's entry point).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) private var selected: FuzzTarget = .json

@main
struct Fuzz {
    static func main() {
        let name = ProcessInfo.processInfo.environment["EKSNET_FUZZ_TARGET"] ?? "json"
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("unknown EKSNET_FUZZ_TARGET \(name)\n".utf8))
            exit(2)
        }
        selected = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        })
    }
}
#else
@main
struct Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: eksnet-fuzz \(names) <file or directory>…\n".utf8))
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { "\(path)/\($0)" } : [path]
            for file in files {
                target.run(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs replayed")
    }
}
#endif
