import CoveAPI
import CoveCore
import Testing

@testable import CoveCLI

/// `--mount` as the docker CLI reads it; no daemon.
@Suite struct MountOptionTests {
    @Test func fieldsAliasesAndFlagsBecomeAMountsEntry() throws {
        let bind = try MountOption.parse("type=bind,src=/h,dst=/c,readonly,bind-propagation=rshared")
        #expect(bind.type == "bind" && bind.source == "/h" && bind.target == "/c" && bind.readOnly == true)
        #expect(bind.bindOptions?.propagation == "rshared")
        let volume = try MountOption.parse("source=data,destination=/d,volume-nocopy,volume-label=a=b")
        #expect(volume.type == "volume" && volume.source == "data" && volume.volumeOptions?.noCopy == true)
        #expect(volume.volumeOptions?.labels == ["a": "b"])
        let tmpfs = try MountOption.parse("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770,ro=false")
        #expect(tmpfs.tmpfsOptions?.sizeBytes == 64 << 20 && tmpfs.tmpfsOptions?.mode == 0o1770)
        #expect(tmpfs.readOnly == false)
    }

    @Test(arguments: [
        ("type=tmpfs,target=/t,tmpfs-size=big", "tmpfs-size"),
        ("type=tmpfs,target=/t,tmpfs-mode=9", "tmpfs-mode"),
        ("type=bind,source=/a", "target is required"),
        ("type=bind,colour=red,target=/x", "unexpected key 'colour'"),
        ("type,target=/x", "must be a key=value pair"),
        ("target=/x,readonly=maybe", "invalid value for readonly"),
    ])
    func badFieldsAreRefused(text: String, message: String) {
        let error = #expect(throws: CoveError.self) { try MountOption.parse(text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}
