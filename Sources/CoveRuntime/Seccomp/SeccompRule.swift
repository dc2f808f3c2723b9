/// One system call's rule: all its conditions must hold.
public struct SeccompRule: Sendable, Equatable, CustomStringConvertible {
    public var syscall: String
    public var action: SeccompAction
    public var conditions: [Condition]

    /// `arg[index] op value` (for `masked-eq`: `arg & value == valueTwo`).
    public struct Condition: Sendable, Equatable {
        public var index: Int
        /// `ne`, `lt`, `le`, `eq`, `ge`, `gt`, `masked-eq`.
        public var op: String
        public var value: UInt64
        public var valueTwo: UInt64
    }

    /// `clone allow if arg0 & 0x7e020000 == 0x0`.
    public var description: String {
        let conditions = conditions.map { c in
            c.op == "masked-eq"
                ? "arg\(c.index) & 0x\(String(c.value, radix: 16)) == 0x\(String(c.valueTwo, radix: 16))"
                : "arg\(c.index) \(c.op) \(c.value)"
        }
        return "\(syscall) \(action)" + (conditions.isEmpty ? "" : " if " + conditions.joined(separator: " && "))
    }
}
