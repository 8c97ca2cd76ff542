import Imaging

/// The silhouette of a hand drawn from its 21 landmarks — the palm as a rounded polygon, each finger bone and the
/// wrist as capsules whose width follows the hand's size — for cutting the hand out of a face's merge mask.
public struct HandShape: Sendable, Equatable {
    /// Radii as fractions of ``HandLandmarks/palmSize`` (an adult's finger is about a fifth of the palm's length
    /// wide; the thumb and the wrist are wider).
    public struct Proportions: Sendable, Equatable {
        public var finger: Float = 0.11
        public var thumb: Float = 0.13
        /// Rounding of the palm polygon (the palm reaches past its keypoints).
        public var palm: Float = 0.12
        public var wrist: Float = 0.28
        /// How far the wrist capsule reaches back from the wrist point, away from the fingers.
        public var wristLength: Float = 0.35

        public init() {}
    }

    /// Growth of every part in frame pixels (covers landmark error and motion between frames).
    public var dilatePixels: Float
    /// Width of the soft edge as a fraction of the palm size, at least 1 pixel.
    public var featherFraction: Float
    public var proportions: Proportions

    public init(dilatePixels: Float = 4, featherFraction: Float = 0.04, proportions: Proportions = Proportions()) {
        self.dilatePixels = dilatePixels
        self.featherFraction = featherFraction
        self.proportions = proportions
    }

    /// The hand's coverage (0…1) in frame pixels, on the part of a `frameWidth`×`frameHeight` frame it touches;
    /// nil when it lies outside the frame.
    public func mask(for hand: HandLandmarks, frameWidth: Int, frameHeight: Int) -> PlacedMask? {
        let points = hand.points2D
        let size = hand.palmSize
        let feather = max(1, featherFraction * size)
        let grow = dilatePixels
        let p = proportions
        // The wrist capsule points away from the middle finger's base.
        let wrist = points[HandLandmarks.wrist]
        let along = wrist - points[HandLandmarks.middleFingerBase]
        let length = (along * along).sum().squareRoot()
        let forearm = length > 0 ? wrist + along / length * p.wristLength * size : wrist

        let reach = max(p.finger, p.thumb, p.palm, p.wrist) * size + grow + feather
        let box = BoundingBox(bounding: points + [forearm])
        let x0 = max(0, Int((box.x - reach).rounded(.down))), y0 = max(0, Int((box.y - reach).rounded(.down)))
        let x1 = min(frameWidth - 1, Int((box.x + box.width + reach).rounded(.up)))
        let y1 = min(frameHeight - 1, Int((box.y + box.height + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return nil }
        let origin = SIMD2(Float(x0), Float(y0))
        let local = points.map { $0 - origin }
        var mask = AlphaMask(width: x1 - x0 + 1, height: y1 - y0 + 1)
        mask.drawRoundedHull(HandLandmarks.palm.map { local[$0] }, radius: p.palm * size + grow, feather: feather)
        mask.drawCapsule(from: wrist - origin, to: forearm - origin, radius: p.wrist * size + grow, feather: feather)
        for (f, finger) in HandLandmarks.fingers.enumerated() {
            let radius = (f == 0 ? p.thumb : p.finger) * size + grow
            for (a, b) in zip(finger, finger.dropFirst()) {
                mask.drawCapsule(from: local[a], to: local[b], radius: radius, feather: feather)
            }
        }
        return PlacedMask(origin: SIMD2(x0, y0), mask: mask)
    }
}
