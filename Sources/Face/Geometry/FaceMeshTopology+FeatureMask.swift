import Imaging

extension FaceMeshTopology {
    /// `rings` (mesh indices into `points`) filled on a `width`×`height` canvas and grown by `share` of `faceWidth`
    /// (at least a pixel): the face's features with their lashes, liner and soft edges, which a pass over its skin
    /// leaves out. Worked in the rings' own box, which is all that is returned (nil when it is off the canvas).
    public static func placedFeatureMask(_ rings: [[Int]] = featureRings, on points: [SIMD2<Float>], width: Int,
                                         height: Int, grownBy share: Float, faceWidth: Float) -> PlacedMask? {
        PolygonRasterizer.fill(rings.map { $0.map { points[$0] } }, width: width, height: height,
                               grownBy: max(1, Int((share * faceWidth).rounded())))
    }

    /// ``placedFeatureMask(_:on:width:height:grownBy:faceWidth:)`` over the whole canvas.
    public static func featureMask(_ rings: [[Int]] = featureRings, on points: [SIMD2<Float>], width: Int, height: Int,
                                   grownBy share: Float, faceWidth: Float) -> AlphaMask {
        AlphaMask(width: width, height: height, placing: placedFeatureMask(
            rings, on: points, width: width, height: height, grownBy: share, faceWidth: faceWidth))
    }
}
