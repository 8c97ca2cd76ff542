import Stream
import Testing
@testable import Imaging

/// `RGBImage.lumaPlane`, the one Rec. 601 luma the glasses detector and the score read: each pixel of the box, in
/// place, 0…1.
@Suite struct LumaPlaneTests {
    @Test func eachPixelOfTheBoxIsItsRec601Luma() {
        var image = RGBImage(width: 5, height: 4)
        image[1, 1] = (255, 0, 0)
        image[2, 1] = (0, 255, 0)
        image[3, 2] = (0, 0, 255)
        image[1, 3] = (255, 255, 255)
        image[4, 3] = (90, 60, 30)
        let plane = image.lumaPlane(x: 1, y: 1, width: 4, height: 3)
        #expect(plane.width == 4 && plane.height == 3)
        #expect(abs(plane[0, 0] - 0.299) < 1e-6)
        #expect(abs(plane[1, 0] - 0.587) < 1e-6)
        #expect(abs(plane[2, 1] - 0.114) < 1e-6)
        #expect(abs(plane[0, 2] - 1) < 1e-6)
        #expect(abs(plane[3, 2] - (0.299 * 90 + 0.587 * 60 + 0.114 * 30) / 255) < 1e-6)
        #expect(plane[1, 1] == 0)
    }
}
