import ArgumentParser
import CoveAPI
import CoveCore
import Foundation

/// `cove volume create`: creates a volume (or answers the existing one of that name) and prints
/// its name.
struct VolumeCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a volume.")

    @ParentCommand var root: CoveCommand

    @Option(name: .shortAndLong, help: "The volume driver (only local).")
    var driver = "local"

    @Option(name: .customLong("label"), help: ArgumentHelp("Set a label.", valueName: "key=value"))
    var labels: [String] = []

    @Option(name: [.short, .customLong("opt")], help: ArgumentHelp("A driver option.", valueName: "key=value"))
    var options: [String] = []

    @Argument(help: "The volume's name (generated when absent).")
    var name: String?

    func run() async throws {
        let client = try await ImageCommandSupport.connect(root)
        do throws(CoveError) {
            let request = VolumeCreateRequest(
                name: name ?? "", driver: driver, driverOpts: VolumeCommandSupport.pairs(options),
                labels: VolumeCommandSupport.pairs(labels))
            let body: [UInt8]
            do {
                body = Array(try JSONEncoder().encode(request))
            } catch {
                throw CoveError(.internalError, "cannot encode the volume create request", cause: "\(error)")
            }
            let response = try await client.send(method: "POST", path: "/volumes/create", body: body)
            let volume = try ContainerCommandSupport.decode(VolumeJSON.self, response.body, what: "volume create")
            Output.write(volume.name + "\n")
        } catch {
            throw ImageCommandSupport.plain(error)
        }
    }
}
