import CoveAPI
import CoveCore
import Testing

@testable import CoveEngine

/// The event bus, Docker's event filters and the `since`/`until` bounds; no root.
@Suite struct EventBusTests {
    @Test func subscribersReceiveWhatFollowsAndTheRingIsBounded() {
        let bus = EventBus(capacity: 3)
        bus.emit(.container, action: "create", id: "a")
        let (token, recent) = bus.subscribe()
        #expect(recent.map(\.action) == ["create"])
        for action in ["start", "die", "destroy"] { bus.emit(.container, action: action, id: "a") }
        #expect(bus.drain(token).map(\.action) == ["start", "die", "destroy"])
        #expect(bus.drain(token).isEmpty)
        #expect(bus.recent.map(\.action) == ["start", "die", "destroy"])
        let times = bus.recent.map(\.timeNano)
        #expect(times == times.sorted() && Set(times).count == times.count)
        bus.unsubscribe(token)
        bus.emit(.image, action: "pull", id: "busybox:latest")
        #expect(bus.drain(token).isEmpty)
    }

    @Test func messagesHaveDockersShape() {
        let message = EventMessage(
            type: "container", action: "die",
            actor: EventActor(id: "abc", attributes: ["image": "busybox", "name": "x", "exitCode": "1"]),
            timeNano: 1_700_000_000_123_456_789)
        #expect(message.time == 1_700_000_000)
        #expect(message.status == "die" && message.id == "abc" && message.from == "busybox")
        #expect(message.scope == "local")
        let volume = EventMessage(
            type: "volume", action: "create", actor: EventActor(id: "v", attributes: [:]), timeNano: 1)
        #expect(volume.status == nil && volume.from == nil)
    }

    @Test func filtersMatchAsDockersDo() throws {
        func event(_ type: String, _ action: String, _ id: String, _ attributes: [String: String]) -> EventMessage {
            EventMessage(type: type, action: action, actor: EventActor(id: id, attributes: attributes), timeNano: 1)
        }
        let die = event("container", "die", "abcdef", ["name": "web", "image": "busybox:latest", "tier": "front"])
        let health = event("container", "health_status: healthy", "abcdef", ["name": "web", "image": "busybox"])
        let pull = event("image", "pull", "busybox:latest", ["name": "busybox:latest"])
        let volume = event("volume", "create", "data", ["driver": "local"])
        #expect(try EventFilter(["type": ["container"]]).includes(die))
        #expect(try !EventFilter(["type": ["container"]]).includes(pull))
        #expect(try EventFilter(["event": ["die", "start"]]).includes(die))
        #expect(try EventFilter(["event": ["health_status"]]).includes(health))
        #expect(try EventFilter(["container": ["web"]]).includes(die))
        #expect(try EventFilter(["container": ["abc"]]).includes(die))
        #expect(try !EventFilter(["container": ["web"]]).includes(pull))
        #expect(try EventFilter(["image": ["busybox"]]).includes(die))
        #expect(try EventFilter(["image": ["busybox"]]).includes(pull))
        #expect(try !EventFilter(["image": ["alpine"]]).includes(die))
        #expect(try EventFilter(["label": ["tier=front"]]).includes(die))
        #expect(try !EventFilter(["label": ["tier=back"]]).includes(die))
        #expect(try EventFilter(["volume": ["data"]]).includes(volume))
        #expect(try !EventFilter(["volume": ["data"]]).includes(die))
        #expect(throws: CoveError.self) { try EventFilter(["colour": ["red"]]) }
        #expect(EventFilter.stripTag("localhost:5000/app:1") == "localhost:5000/app")
        #expect(EventFilter.stripTag("localhost:5000/app") == "localhost:5000/app")
    }

    @Test func timestampsAreUnixSecondsWithAFraction() throws {
        #expect(try EventRoutes.unixNanoseconds("1700000000", name: "since") == 1_700_000_000_000_000_000)
        #expect(try EventRoutes.unixNanoseconds("1700000000.5", name: "since") == 1_700_000_000_500_000_000)
        #expect(try EventRoutes.unixNanoseconds("1700000000.000000001", name: "until") == 1_700_000_000_000_000_001)
        #expect(try EventRoutes.unixNanoseconds("", name: "since") == nil)
        #expect(throws: CoveError.self) { try EventRoutes.unixNanoseconds("yesterday", name: "since") }
    }
}
