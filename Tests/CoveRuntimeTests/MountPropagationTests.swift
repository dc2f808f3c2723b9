import Testing

@testable import CoveRuntime

/// A bind's propagation mode reaches its mount step, and a bind that shares or receives mounts
/// makes the container's root a slave of the host's, as runc does; no root.
@Suite struct MountPropagationTests {
    @Test func sharedAndSlaveBindsMakeTheRootASlave() throws {
        let user = ResolvedUser(uid: 0, gid: 0, home: "/root")
        for (mode, root, shown) in [
            ("rshared", "rslave", "shared"), ("slave", "rslave", "slave"), ("rprivate", "rprivate", "private"),
        ] {
            let flags = try #require(MountFlags.propagation(mode))
            let spec = PlanFixtures.spec { $0.mounts = [.bind("/host", at: "/in", propagation: flags)] }
            let plan = try PlanFixtures.planner().plan(spec, user: user, stateDirectory: "/state")
            #expect(plan.steps.contains(.mountPropagation(root)), "\(mode)")
            let step = plan.steps.first { if case .mount(let m) = $0 { m.target == "/in" } else { false } }
            #expect(step?.description.contains(",\(shown)") == true, "\(String(describing: step))")
        }
        #expect(MountFlags.propagation("sideways") == nil)
    }
}
