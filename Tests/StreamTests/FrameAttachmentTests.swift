import Testing
@testable import Stream

@Suite("Frame attachments")
struct FrameAttachmentTests {
    struct Marker: Equatable { var value: Int }

    @Test func attachmentsTravelWithTheFrame() {
        let frame = VideoFrame(image: RGBImage(width: 4, height: 4), index: 0, fps: 30)
        #expect(frame[attachment: Marker.self] == nil)
        frame[attachment: Marker.self] = Marker(value: 7)
        #expect(frame[attachment: Marker.self] == Marker(value: 7))
        #expect(frame[attachment: Int.self] == nil, "one slot per type")
    }
}
