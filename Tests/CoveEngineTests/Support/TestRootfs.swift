import Foundation
import Testing

/// Small root file systems, as tar archives, for the image tests.
enum TestRootfs {
    /// A tar of a rootfs with `/etc/greeting` and `/run.sh` (and `/etc/marker` holding `marker`,
    /// when given, to make it differ from the others), made in `directory`; returns its path.
    static func tar(in directory: String, name: String = "rootfs", marker: String? = nil) throws -> String {
        let rootfs = directory + "/" + name
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/greeting"))
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: URL(fileURLWithPath: rootfs + "/run.sh"))
        if let marker { try Data(marker.utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/marker")) }
        let tar = directory + "/" + name + ".tar"
        let made = try ExternalCommand.run("/bin/sh", ["-c", "tar -C '\(rootfs)' -cf '\(tar)' ."])
        #expect(made.status == 0, "\(made.stderr)")
        return tar
    }
}
