import Face
import Imaging
import Neural
import Stream

/// One-shot face swap by mesh warping: the photo's face texture is cut into the canonical triangles and each
/// triangle is laid onto the target's current triangle. Expressions and head motion follow the target (its
/// landmarks place the triangles, its eyes and mouth opening stay); the photo gives the texture. With
/// ``Options/identityShape`` the triangles go where the photo's own proportions put them in the target's pose and
/// expression (``IdentityShape``), and the target's kept eyes and mouth are moved there with them.
///
/// Only the skin inside ``SkinOutline`` is offered to the merger (no hair, no background from the photo); the rest
/// of the swap box holds the frame itself, so the merger's feather never fades into anything but the target.
public struct MeshSwapper: FaceSwapper {
    public struct Options: Sendable, Equatable {
        /// |yaw| (degrees) up to which the swap is at full strength.
        public var fullStrengthYaw: Float = 35
        /// |yaw| (degrees) from which the swap is off (profile views; the mesh folds there).
        public var zeroStrengthYaw: Float = 60
        /// Frame pixels around the face oval kept in the swap box (room for the merger's feathering).
        public var margin = 4
        /// The region of the face that is swapped.
        public var outline = SkinOutline()
        /// Feather inside the outline: Gaussian σ as a share of the face-oval width. It scales with the face (the
        /// merger's feather is in pixels) and hides lighting differences at the cut across the forehead.
        public var feather: Float = 0.035
        /// How a photo's side light is taken out when it is loaded (``fromPhoto``).
        var sideLight = PhotoSideLight()
        /// How a photo's outer lip ring is fitted to its lips when it is loaded (``fromPhoto``).
        var lipFit = PhotoLipFit()
        /// How a photo's skin is evened out when it is loaded (``fromPhoto``).
        var skinEvening = PhotoSkinEvening()
        /// How the photo's own hair over its face is found (left out of the swap: the target's forehead stays).
        var hair = PhotoHair()
        /// How the photo's long hair down the sides of its face is found (left out too: the target's cheeks stay;
        /// nil = not searched).
        var locks: PhotoLocks? = PhotoLocks()
        /// How far the photo's eye sockets are in its own light's shadow (relit by the merger).
        var socketShadow = PhotoSocketShadow()
        /// How much of the photo's skin above its upper lip is a moustache (its contrast kept by the merger).
        var moustache = PhotoMoustache()
        /// How far the photo smiles where the target does not (its modelling round the mouth taken out by the merger).
        var smile = PhotoSmile()
        /// Where the photo's foreshortened side is stretched over the target's wide one, the other side mirrored.
        var mirror = PhotoMirror()
        /// How far in from the oval's sides the photo is sampled (its ears and the wall beside its jaw left out).
        var sideInset = PhotoSideInset()
        /// How far the target's own brows reach above its brow landmarks: the forehead's cut is lifted by as much
        /// (nil = never lifted).
        var browRise: TargetBrowRise? = TargetBrowRise()
        /// How far the target's brows lie above their landmarks on each frame: the photo's brows are drawn there
        /// (nil = on the landmarks).
        var browOffset: TargetBrowOffset? = TargetBrowOffset()
        /// How much of the photo's facial proportions the new face takes (0 = the target's geometry, 1 = the
        /// photo's; ``IdentityShape``). Off by default: on its own it moved a face recogniser's verdict on one clip
        /// of three, and at 1 it cost one clip's mouth gain (docs/BENCHMARKS.md, "Session 8, look6").
        public var identityShape: Float = 0
        /// The widest face (face-oval width, frame pixels) swapped and blended at the frame's own resolution; a
        /// wider one (by more than ``shrinkSlack``) is swapped in a box shrunk to this width (its pixels
        /// area-averaged) and the merger's change is scaled back up in the paste, so the frame's finest detail stays
        /// (nil: always the frame's resolution).
        /// The swap's and the merge's cost grow with the face's area: a 500-pixel face (a 1080p close-up) cost
        /// four times a 250-pixel one, 80 ms a frame. At 256 the shared clips' faces (up to 320 pixels) score as
        /// at full resolution and look the same (docs/BENCHMARKS.md, "Session 29"); the merger's pixel settings
        /// (feather, erosion) were chosen on faces of 200–320 pixels.
        public var maxFaceWidth: Float? = 256
        /// How much wider than ``maxFaceWidth`` a face may be and still be worked at the frame's resolution:
        /// shrinking the box by a few per cent saves fewer pixels than resampling the frame into it and the change
        /// back out costs (a 262–268-pixel face: 0.7–1.1 ms more shrunk than at full size; docs/BENCHMARKS.md,
        /// "Session 37").
        static let shrinkSlack: Float = 1.07

        /// The scale of the swap box for a face whose oval is `width` frame pixels wide: 1 (the frame's
        /// resolution) up to ``shrinkSlack`` × ``maxFaceWidth``, beyond that the box shrunk to ``maxFaceWidth``.
        func shrink(faceWidth width: Float) -> Float {
            guard let maxFaceWidth, width > maxFaceWidth * Self.shrinkSlack else { return 1 }
            return maxFaceWidth / width
        }

        public init() {}
    }

    /// The photo as the swap draws it: where its own hair covers the face, the skin around it laid under the hair
    /// (``PhotoHair/underlay``). A copy of the mipmaps' level 0, made on each read (the swap itself reads
    /// `sourceMipmaps`): read it once and keep it.
    public var source: RGBImage { sourceMipmaps.level(0) }
    /// `source` with its mipmaps: a large photo is shrunk onto a small face, and each triangle samples it near its
    /// own scale (``MipmappedImage``).
    let sourceMipmaps: MipmappedImage
    public let sourceLandmarks: [SIMD2<Float>]
    /// Where the swap samples the photo: its landmarks with the oval's sides drawn in (``PhotoSideInset``); the
    /// same in the skin mask's coordinates.
    let sampledLandmarks: [SIMD2<Float>], sampledSkinLandmarks: [SIMD2<Float>]
    public var options: Options
    /// The photo's skin round its face (0 under its own hair, ``PhotoHair``); nil when no hair covers it.
    let sourceSkin: PhotoHair.Skin?
    /// The photo with all its hair over the forehead laid under skin, however little (``PhotoHair`` without its
    /// minimum share): drawn where the forehead's cut is lifted over a target's risen brows (``TargetBrowRise``), which
    /// reaches the photo's hairline (the shipped photo's fringe came out as a brown band across the new forehead).
    /// nil when the photo shows no hair there.
    let hairlessSource: MipmappedImage?
    /// How deep the photo's eye sockets lie in its own light's shadow, 0…1 (``PhotoSocketShadow``).
    let socketShadow: Float
    /// The photo's sockets' height (``PhotoSocketShadow/height(_:)``).
    let photoSocketHeight: Float
    /// How much of the photo's skin above its upper lip is hair, 0…1 (``PhotoMoustache``).
    let moustache: Float
    /// How much the photo's face smiles (``PhotoSmile/measure(_:)``).
    let photoSmile: Float
    /// The share of the photo's face width on its right side (``PhotoMirror/rightShare(_:)``; 0.5 = frontal).
    let photoRightShare: Float
    /// How far the photo's face is turned to the side, degrees (``HeadPose``).
    let photoYaw: Float
    private let identity: IdentityShape
    private let neutrals = NeutralFaces()
    /// Each tracked target's brow lift over time. FaceMesh's brows lag a raised brow by a few frames, so the measure
    /// comes and goes between frames (0.04–0.07 of the face width on some frames of talk_woman_d10, 0 on the next);
    /// the forehead's cut follows it quickly up and lets go slowly, instead of jumping with each frame's measure.
    private let browLifts = TrackLevel(attack: 0.5, release: 0.03)
    /// Each tracked target's smile mismatch over time: it moves with the target's talk (a wide vowel, a pursed one),
    /// and the shading round the mouth follows it over a few frames instead of frame by frame.
    private let smiles = TrackLevel(attack: 0.15, release: 0.15)
    /// Each tracked target's socket stretch over time: a blink lowers the lids for a few frames, lids lowered to
    /// look down stay; the sockets' toning follows the second and hardly the first.
    private let socketStretches = TrackLevel(attack: 0.1, release: 0.1)

    /// - Parameters:
    ///   - source: the identity photo.
    ///   - sourceLandmarks: the 468 landmarks of the face on the photo.
    public init(source: RGBImage, sourceLandmarks: FaceLandmarks, options: Options = Options()) throws(MeshSwapperError) {
        guard sourceLandmarks.points.count == FaceMeshTopology.pointCount else {
            throw .wrongLandmarkCount(sourceLandmarks.points.count)
        }
        self.sourceLandmarks = sourceLandmarks.points2D
        self.identity = IdentityShape(source: sourceLandmarks.points)
        // One search serves both: a photo with less hair than the swap leaves out is searched again only once its
        // hair is laid under skin.
        let found = options.hair.search(source, landmarks: sourceLandmarks.points2D, outline: options.outline)
        let sampled = options.sideInset.sampled(sourceLandmarks.points2D)
        var skin = found.flatMap { $0.share >= options.hair.minimumShare ? $0.skin : nil }
        if let locks = options.locks {
            skin = locks.cutting(skin, photo: source, landmarks: sourceLandmarks.points2D, sampled: sampled,
                                 outline: options.outline, feather: options.feather,
                                 margin: options.hair.closing + 3 * options.hair.feather)
        }
        self.sourceSkin = skin
        self.sampledLandmarks = sampled
        // The skin mask's box is the photo's, moved: the same points less its corner.
        self.sampledSkinLandmarks = skin.map { skin in
            let corner = SIMD2(Float(skin.box.x0), Float(skin.box.y0))
            return sampled.map { $0 - corner }
        } ?? []
        let drawn = skin.map { options.hair.underlay(source, skin: $0) } ?? source
        self.sourceMipmaps = MipmappedImage(drawn)
        if options.browRise != nil,
           let all = skin == nil ? found?.skin
               : options.hair.search(drawn, landmarks: sourceLandmarks.points2D, outline: options.outline)?.skin,
           all.mask.values.contains(where: { $0 < 1 }) {
            self.hairlessSource = MipmappedImage(options.hair.hairless(drawn, skin: all))
        } else {
            self.hairlessSource = nil
        }
        self.socketShadow = options.socketShadow.depth(of: drawn, landmarks: sourceLandmarks.points2D)
        self.photoSocketHeight = PhotoSocketShadow.height(sourceLandmarks.points2D)
        self.moustache = options.moustache.share(of: drawn, landmarks: sourceLandmarks.points2D)
        self.photoSmile = PhotoSmile.measure(sourceLandmarks.points2D)
        self.photoRightShare = PhotoMirror.rightShare(sourceLandmarks.points2D) ?? 0.5
        self.photoYaw = sourceLandmarks.headPose.yaw
        self.options = options
    }

    public var alignment: FaceAlignment? { nil }

    /// Swap strength for a head turned by `yaw` degrees: 1 up to `fullStrengthYaw`, linear to 0 at `zeroStrengthYaw`.
    public func strength(yaw: Float) -> Float {
        let a = abs(yaw)
        guard a > options.fullStrengthYaw else { return 1 }
        guard options.zeroStrengthYaw > options.fullStrengthYaw else { return 0 }
        return max(0, 1 - (a - options.fullStrengthYaw) / (options.zeroStrengthYaw - options.fullStrengthYaw))
    }

    public func swap(_ input: FaceSwapInput) throws -> SwappedFace? {
        guard input.landmarks.points.count == FaceMeshTopology.pointCount else {
            throw MeshSwapperError.wrongLandmarkCount(input.landmarks.points.count)
        }
        let weight = strength(yaw: input.pose?.yaw ?? 0)
        guard weight > 0 else { return nil }
        let target = input.landmarks.points2D
        let placed = place(input)
        let oval = BoundingBox(bounding: FaceMeshTopology.faceOval.map { target[$0] })
        let m = Float(options.margin)
        let x0 = max(0, Int((oval.x - m).rounded(.down))), y0 = max(0, Int((oval.y - m).rounded(.down)))
        let x1 = min(input.frame.width - 1, Int((oval.x + oval.width + m).rounded(.up)))
        let y1 = min(input.frame.height - 1, Int((oval.y + oval.height + m).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return nil }
        let (toFrame, width, height) = Self.box(x0: x0, y0: y0, width: x1 - x0 + 1, height: y1 - y0 + 1,
                                                shrink: options.shrink(faceWidth: oval.width))
        guard let toBox = toFrame.inverted() else { return nil }
        let local = placed.map { toBox.apply($0) }
        let faceWidth = oval.width / toFrame.scale
        var image = ImageWarper.resample(input.frame, width: width, height: height, outputToSource: toFrame)
        // The target's own landmarks in the box (`local` holds the new face's).
        let targetLocal = target.map { toBox.apply($0) }
        // The target moved with the new face's features: its eyes and mouth, kept by the merger, then sit in the
        // new face's openings (nil when nothing moved).
        var moved: RGBImage?
        if zip(placed, target).contains(where: { max(abs($0.x - $1.x), abs($0.y - $1.y)) > 0.1 }) {
            let crop = image
            moved = crop
            TriangleWarp.warp(crop, sourcePoints: targetLocal, triangles: FaceMeshTriangulation.triangles,
                              targetPoints: local, into: &moved!,
                              clip: AlphaMask(width: crop.width, height: crop.height, value: 1))
        }
        var outline = options.outline.polygon(on: local)
        var browLift = options.browRise?.lift(in: image, landmarks: targetLocal, faceWidth: faceWidth) ?? 0
        if options.browRise != nil, let id = input.trackID { browLift = browLifts.update(browLift, trackID: id) }
        if browLift > 0, let rise = options.browRise {
            outline = Self.lifted(outline, by: browLift, clearance: rise.clearance, points: local)
        }
        // The photo's brows over the target's, where FaceMesh put them lower (the outline stays on the landmarks).
        let browOffset = options.browOffset?.offsets(in: image, landmarks: targetLocal, faceWidth: faceWidth) ?? .zero
        // Moves under a pixel are left out: they would only stir the photo's texture from frame to frame.
        let browShift = browOffset * faceWidth
        let drawnPoints = TargetBrowOffset.raising(local, by: browShift.replacing(with: 0, where: browShift .< 1))
        var mask = PolygonRasterizer.fill(outline, width: image.width, height: image.height)
        // Where the photo's own hair covers its face the photo is not drawn and the target's face stays; the cut has
        // the hair mask's own narrow feather, so the outline's feather does not pull back from it.
        var paint = mask, hairCut: AlphaMask?
        if let sourceSkin {
            var skin = AlphaMask(width: image.width, height: image.height)
            TriangleWarp.warp(sourceSkin.mask, sourcePoints: sampledSkinLandmarks, triangles: FaceMeshTriangulation.triangles,
                              targetPoints: local, into: &skin, clip: mask)
            // Drawn wherever the weight is above 0: the photo's hair has its skin laid under it (``PhotoHair/underlay``),
            // so the whole of the cut's feather fades from the photo's skin to the target's.
            paint.zero(where: skin)
            hairCut = skin
        }
        // Only the outline gets the photo: the merger's feather reaches past it and must find the frame there.
        TriangleWarp.warp(sourceMipmaps, sourcePoints: sampledLandmarks, triangles: FaceMeshTriangulation.triangles,
                          targetPoints: drawnPoints, into: &image, clip: paint)
        // A lifted cut reaches the photo's hairline: the hairless photo, faded in over the first 2 % of lift so its
        // wisps do not vanish from one frame to the next.
        if let hairlessSource, browLift > 0 {
            // It differs from the photo only above the brows (``PhotoHair`` searches there, its cut feathered by
            // σ 3 % of the face width): those triangles only.
            let (brows, up) = FaceMeshTopology.browLine(local)
            let below = -0.12 * faceWidth
            let upper = FaceMeshTriangulation.triangles.filter { t in
                [t.x, t.y, t.z].contains { ((local[$0] - brows) * up).sum() > below }
            }
            var hairless = image
            TriangleWarp.warp(hairlessSource, sourcePoints: sampledLandmarks, triangles: upper,
                              targetPoints: drawnPoints, into: &hairless, clip: paint)
            var share = paint
            share.multiply(by: min(browLift / 0.02, 1))
            image.mix(hairless, weight: share)
        }
        // The photo's foreshortened side stretched over the target's wide one: its other side, mirrored.
        if let blend = options.mirror.blend(options.mirror.sideWeights(photoRightShare: photoRightShare, target: local),
                                            points: local, width: image.width, height: image.height) {
            PhotoMirror.apply(sourceMipmaps, photoPoints: sampledLandmarks, targetPoints: drawnPoints, blend: blend, clip: paint,
                              into: &image)
        }
        Self.featherInside(&mask, sigma: options.feather * faceWidth)
        // The tail outside the outline is cut off.
        mask.zero(where: paint)
        if let hairCut { mask.multiply(by: hairCut) }
        mask.multiply(by: weight)
        // The new face's features where they were drawn: the merger's kept openings, lip and feature masks.
        let features = drawnPoints == local ? placed : drawnPoints.map { toFrame.apply($0) }
        let landmarks = moved == nil && drawnPoints == local ? nil : FaceLandmarks(
            points: zip(features, input.landmarks.points).map { SIMD3($0.x, $0.y, $1.z) }, presence: input.landmarks.presence)
        var swapped = SwappedFace(image: image, mask: mask, toFrame: toFrame,
                                  keptParts: [.eyes, .mouth], landmarks: landmarks, target: moved, fromOtherLight: true,
                                  socketShadow: socketShadow, moustache: moustache)
        swapped.browRise = browLift
        var smile = options.smile.mismatch(photo: photoSmile, target: target)
        if let id = input.trackID { smile = smiles.update(smile, trackID: id) }
        swapped.smileMismatch = smile
        if socketShadow > 0 {
            var stretch = options.socketShadow.stretch(height: PhotoSocketShadow.height(drawnPoints),
                                                       photoHeight: photoSocketHeight)
            if let id = input.trackID { stretch = socketStretches.update(stretch, trackID: id) }
            swapped.socketStretch = stretch
        }
        return swapped
    }

    /// `mask` (an outline filled) feathered as the swap's weight is: eroded by `sigma` pixels first, so most of
    /// the ramp lies inside the outline, where the photo is, then blurred by it; left as it is for σ ≤ ½ pixel.
    static func featherInside(_ mask: inout AlphaMask, sigma: Float) {
        guard sigma > 0.5 else { return }
        mask.erode(pixels: Int(sigma.rounded()))
        mask.gaussianBlur(sigma: sigma)
    }

    /// The swap box's placement for the frame box at (`x0`, `y0`) of `width` × `height` pixels: the box itself
    /// (a whole-pixel translation, pasted pixel for pixel) or, with `shrink` < 1, the box scaled by it (pixel centres
    /// kept on the frame box's grid of `1 / shrink` frame pixels), and the swap box's size.
    static func box(x0: Int, y0: Int, width: Int, height: Int,
                    shrink: Float) -> (toFrame: AffineTransform2D, width: Int, height: Int) {
        guard shrink < 1, shrink > 0 else {
            return (AffineTransform2D(translation: SIMD2(Float(x0), Float(y0))), width, height)
        }
        let step = 1 / shrink
        let (w, h) = (max(1, Int((Float(width) * shrink).rounded(.up))), max(1, Int((Float(height) * shrink).rounded(.up))))
        // Swap pixel u covers frame pixels [x0 + u·step, x0 + (u + 1)·step): its centre is at x0 + (u + ½)·step − ½.
        let toFrame = AffineTransform2D(a: step, b: 0, tx: Float(x0) + 0.5 * step - 0.5,
                                        c: 0, d: step, ty: Float(y0) + 0.5 * step - 0.5)
        return (toFrame, w, h)
    }

    /// `outline` with its part over the brows moved up the face (``TargetBrowRise``), by `lift` (a share of the face
    /// width) and as much again as the feather needs to reach full weight (`clearance`, phased in with the lift):
    /// the vertices between the brows' outer ends, fading out past them to the temples; none lower than they are.
    static func lifted(_ outline: [SIMD2<Float>], by lift: Float, clearance: Float,
                       points: [SIMD2<Float>]) -> [SIMD2<Float>] {
        let (brows, up) = FaceMeshTopology.browLine(points)
        let side = SIMD2(-up.y, up.x)
        let edges = FaceMeshTopology.browUpperEdges.flatMap { $0.map { points[$0] - brows } }
        let edge = edges.map { ($0 * up).sum() }.max() ?? 0
        let span = max(edges.map { abs(($0 * side).sum()) }.max() ?? 0, 1)
        let faceWidth = FaceMeshTopology.ovalWidth(points)
        let height = edge + (lift + clearance * min(lift / 0.04, 1)) * faceWidth
        return outline.map { v in
            let d = v - brows
            let h = (d * up).sum()
            guard h > 0, h < height else { return v }
            let t = min(max((abs((d * side).sum()) / span - 1.15) / 0.45, 0), 1)
            return v + up * ((height - h) * (1 - Ramp.smoothstep(t)))
        }
    }

    /// The landmarks (frame pixels) the photo's triangles are laid on: the target's, moved to the photo's
    /// proportions (``IdentityShape``) against the target's neutral face (its running mean while tracked).
    func place(_ input: FaceSwapInput) -> [SIMD2<Float>] {
        let strength = min(max(options.identityShape, 0), 1)
        guard strength > 0 else { return input.landmarks.points2D }
        let canonical = IdentityShape.canonical(input.landmarks.points)
        let neutral = input.trackID.map { neutrals.update(canonical, trackID: $0) } ?? canonical
        return identity.landmarks(target: input.landmarks.points, neutral: neutral, strength: strength)
    }
}

/// Why the mesh swapper could not run.
public enum MeshSwapperError: Error, Equatable, CustomStringConvertible {
    case wrongLandmarkCount(Int)

    public var description: String {
        switch self {
        case .wrongLandmarkCount(let n): "expected \(FaceMeshTopology.pointCount) landmarks, got \(n)"
        }
    }
}
