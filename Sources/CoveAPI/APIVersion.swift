/// A Docker Engine API version ("1.43"), compared number by number as Docker does.
public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The dot-separated numbers.
    public var components: [Int]

    /// The version Cove serves: the newest a client may ask for.
    public static let current = APIVersion(components: [1, 43])
    /// The oldest version a client may ask for: Docker's own minimum since Engine 25.
    public static let minimum = APIVersion(components: [1, 24])

    public init(components: [Int]) {
        self.components = components
    }

    /// Parses digits and dots ("1.43"). As in Docker, an empty or oversized number counts as 0;
    /// any other character, or no digit at all, is not a version.
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }),
            text.contains(where: { $0 != "." })
        else { return nil }
        components = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
    }

    /// "1.43".
    public var description: String {
        components.map(String.init).joined(separator: ".")
    }

    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        let count = max(lhs.components.count, rhs.components.count)
        for index in 0..<count {
            let left = index < lhs.components.count ? lhs.components[index] : 0
            let right = index < rhs.components.count ? rhs.components[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    public static func == (lhs: APIVersion, rhs: APIVersion) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }

    public func hash(into hasher: inout Hasher) {
        var trimmed = components
        while trimmed.last == 0 { trimmed.removeLast() }
        hasher.combine(trimmed)
    }
}
