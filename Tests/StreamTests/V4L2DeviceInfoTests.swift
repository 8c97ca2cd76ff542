import CV4L2
import Foundation
import Testing
@testable import Stream

@Suite("V4L2 device listing")
struct V4L2DeviceInfoTests {
    @Test("a camera's formats, sizes and frame rates come from the ENUM ioctls")
    func enumeratesCamera() throws {
        let fake = FakeV4L2Device()
        fake.driver = "uvcvideo"
        fake.card = "Integrated Camera"
        fake.bus = "usb-0000:00:14.0-8"
        fake.deviceCaps = UInt32(V4L2_CAP_VIDEO_CAPTURE)
        fake.capabilities = fake.deviceCaps | V4L2_CAP_DEVICE_CAPS
        fake.captureFormats = [
            .init(fourcc: CV4L2_PIX_FMT_YUYV, description: "YUYV 4:2:2",
                  sizes: [(640, 480, [(1, 30), (1, 15)]), (1280, 720, [(1, 10)])]),
            .init(fourcc: 0x4750_4A4D, description: "Motion-JPEG", compressed: true,  // 'MJPG'
                  sizes: [(1280, 720, [(1001, 30000)])]),
        ]
        let info = try V4L2DeviceInfo.query(V4L2Device(path: "/dev/video0", io: fake))
        #expect(info.card == "Integrated Camera" && info.driver == "uvcvideo" && info.bus == "usb-0000:00:14.0-8")
        #expect(info.capture && !info.output)
        #expect(info.formats.map(\.fourcc) == ["YUYV", "MJPG"])
        #expect(info.formats.map(\.compressed) == [false, true])
        #expect(info.formats[0].sizes == [.init(width: 640, height: 480, frameRates: [30, 15]),
                                          .init(width: 1280, height: 720, frameRates: [10])])
        #expect(abs((info.formats[1].sizes.first?.frameRates.first ?? 0) - 29.97) < 0.001)
        #expect(!info.formats[0].sizeRange)
    }

    @Test("a loopback output lists no capture formats")
    func outputDevice() throws {
        let info = try V4L2DeviceInfo.query(V4L2Device(path: "/dev/video10", io: FakeV4L2Device()))
        #expect(info.output && !info.capture && info.formats.isEmpty && info.card == "facelive")
    }

    @Test("list() queries videoN nodes in number order and records what is wrong with each (real ioctls)")
    func listsFolder() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["video10", "video2", "videox", "vbi0", "video0"] {
            #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data()))
        }
        let devices = V4L2DeviceInfo.list(directory: dir.path)
        #expect(devices.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["video0", "video2", "video10"])
        #expect(devices.allSatisfy { $0.error == "not a V4L2 device: \($0.path)" && !$0.capture && !$0.output })
        #expect(V4L2DeviceInfo.list(directory: "/no/such/folder").isEmpty)
    }
}
