import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove image inspect`: the engine's description of each image, printed as one JSON array
/// indented as docker indents it. Images that are not found are reported after the array, and the
/// command then exits 1, as `docker image inspect` does.
struct ImageInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Display detailed information on one or more images."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
    }

    @ParentCommand var root: CoveCommand

    @Option(help: "Output format.")
    var format: Format = .json

    @Argument(help: ArgumentHelp("The images (name, name:tag, id or id prefix).", valueName: "image"))
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("\"inspect\" requires at least 1 argument.") }
    }

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        var objects: [String] = []
        var failures: [CoveError] = []
        for image in images {
            do throws(CoveError) {
                let response = try await client.send(
                    method: "GET", path: "/images/\(ImageCommandSupport.pathName(image))/json")
                objects.append(try PrettyJSON.indent(response.body))
            } catch {
                failures.append(ImageCommandSupport.plain(error))
            }
        }
        Output.write(objects.isEmpty ? "[]\n" : "[\n    " + objects.joined(separator: ",\n    ") + "\n]\n")
        guard let last = failures.last else { return }
        for failure in failures.dropLast() { Output.error("error: \(failure)") }
        throw last
    }
}

/// JSON re-indented as Go's `json.MarshalIndent(value, "    ", "    ")` writes a value inside an array,
/// keeping the engine's key order (which a decode and encode would lose).
enum PrettyJSON {
    /// `bytes` (one JSON value) with four-space indentation starting at depth one; empty objects and
    /// arrays stay `{}` and `[]`.
    static func indent(_ bytes: [UInt8]) throws(CoveError) -> String {
        guard (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil else {
            throw CoveError(.internalError, "the engine's answer is not valid JSON")
        }
        var out: [UInt8] = []
        var depth = 1
        var inString = false
        var escaped = false
        var index = 0
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out += Array(repeating: UInt8(ascii: " "), count: 4 * level)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\""):
                inString = true
                out.append(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                var next = index
                while next < bytes.count, [0x20, 0x0A, 0x09, 0x0D].contains(bytes[next]) { next += 1 }
                if next < bytes.count, bytes[next] == UInt8(ascii: "}") || bytes[next] == UInt8(ascii: "]") {
                    out.append(bytes[next])
                    index = next + 1
                } else {
                    depth += 1
                    newline(depth)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline(depth)
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline(depth)
            case UInt8(ascii: ":"):
                out += [UInt8(ascii: ":"), UInt8(ascii: " ")]
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
