import Foundation
import Imaging

extension Relighting {
    /// Takes a face's own modelling between the fine and the interior's shading scale out round its mouth, in
    /// proportion to `share` (``smileReach``): added to `difference` (the interior's log brightness less the fine
    /// one's, per cell), the ratio there becomes the target's coarse shading over the face's fine one, so the face
    /// keeps its fine detail under the target's coarse light and takes neither face's mid-scale modelling.
    ///
    /// A photo that smiles at a mouth that does not brings its smile's modelling along (a bright cheek beside the
    /// mouth's corner). Taking the target's fine shading there instead (a wider ``mouthReach``) took the patch out
    /// too, but brought the target's own face shape in: a face recogniser saw the target in 14–20 % more frames of
    /// two clips of three (docs/BENCHMARKS.md, "Session 32").
    ///
    /// - Parameters:
    ///   - coarseFace: the face's shading luma per cell at the interior's scale (0 where it has none).
    ///   - fineFace: the same at the fine scale.
    ///   - mouth: the outer lip ring, in cells (`width` per row).
    ///   - faceWidth: width of the face in cells.
    func flattenSmile(_ difference: inout [Float], coarseFace: [Float], fineFace: [Float], mouth: [SIMD2<Float>],
                      width: Int, share: Float, faceWidth: Float) {
        guard share > 0, smileReach.upperBound > smileReach.lowerBound, mouth.count >= 3, faceWidth > 0 else { return }
        let fade = Ramp(from: smileReach.upperBound, full: smileReach.lowerBound)
        // Only cells within reach of the lips' box can be within reach of the lips.
        let reach = smileReach.upperBound * faceWidth
        let box = BoundingBox(bounding: mouth)
        let height = difference.count / max(width, 1)
        let x0 = max(Int((box.x - reach).rounded(.down)), 0)
        let x1 = min(Int((box.x + box.width + reach).rounded(.up)), width - 1)
        let y0 = max(Int((box.y - reach).rounded(.down)), 0)
        let y1 = min(Int((box.y + box.height + reach).rounded(.up)), height - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let c = y * width + x
                guard coarseFace[c] > 1e-3, fineFace[c] > 1e-3 else { continue }
                let zone = fade(Polygon.distance(mouth, SIMD2(Float(x), Float(y))) / faceWidth)
                if zone > 0 { difference[c] += share * zone * log(coarseFace[c] / fineFace[c]) }
            }
        }
    }

    /// Where (0…1) the face's fine detail is taken out for a mouth that smiles `smile` (0…1) where the target's
    /// does not: the skin between nose and upper lip (``upperLipFlattening``, feathered 2 px) and the folds beside
    /// the mouth (``smileFoldFlattening``, grown by ``smileFoldReach``), less a moustache's share (`moustache`, 0…1):
    /// hair there is no crease or stretched skin. Nil where none is.
    func smileFlattening(upperLipSkin: [SIMD2<Float>], folds: [[SIMD2<Float>]], smile: Float, moustache: Float,
                         width: Int, height: Int, faceWidth: Float) -> AlphaMask? {
        let share = min(max(smile, 0), 1) * (1 - min(max(moustache, 0), 1))
        // Made on the first zone that flattens anything: most faces' smiles match, and most merges need none.
        var zone: AlphaMask?
        func add(_ rings: [[SIMD2<Float>]], depth: Float, grownBy grow: Float, feather: Float) {
            let rings = rings.filter { $0.count >= 3 }
            let depth = min(depth, 1) * share
            guard depth > 0, !rings.isEmpty, var placed = PolygonRasterizer.fill(
                rings, width: width, height: height, grownBy: Int(grow.rounded()), feather: feather) else { return }
            placed.mask.multiply(by: depth)
            if zone == nil { zone = AlphaMask(width: width, height: height) }
            zone?.formUnion(placed)
        }
        add([upperLipSkin], depth: upperLipFlattening, grownBy: 0, feather: 2)
        let reach = smileFoldReach * faceWidth
        add(folds, depth: smileFoldFlattening, grownBy: reach, feather: max(reach * 2 / 3, 1))
        return zone
    }
}
