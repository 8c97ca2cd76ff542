import Face
import Imaging
import Stream

/// What a face swapper gets for one face of one frame.
public struct FaceSwapInput: Sendable {
    /// The whole frame.
    public var frame: RGBImage
    /// The target face's landmarks in frame pixels (smoothed by the tracker).
    public var landmarks: FaceLandmarks
    /// Head pose from the landmarker, if known.
    public var pose: HeadPose?
    /// The face cut out with the swapper's ``FaceSwapper/alignment``; nil when it asked for none.
    public var aligned: AlignedFace?
    /// The tracker's ID for this face (lets a swapper keep per-face state or pick an identity per face).
    public var trackID: Int?

    public init(frame: RGBImage, landmarks: FaceLandmarks, pose: HeadPose? = nil, aligned: AlignedFace? = nil,
                trackID: Int? = nil) {
        self.frame = frame
        self.landmarks = landmarks
        self.pose = pose
        self.aligned = aligned
        self.trackID = trackID
    }
}

/// A swapped face, ready for ``FaceMerger``: pixels and mask in some "swap space" plus the map to the frame.
///
/// Decoders (DFM-like models) answer in aligned space (`toFrame = aligned.alignedToImage`); the mesh swapper answers
/// in a frame-aligned box (`toFrame` a translation), which keeps the photo's full detail.
public struct SwappedFace: Sendable {
    /// The new face in swap space.
    public var image: RGBImage
    /// Where `image` holds face (0…1, same size as `image`): a model's mask, the mesh's coverage, a pose fade.
    /// nil = everywhere. The merger multiplies it with its own landmark mask.
    public var mask: AlphaMask?
    /// Swap-space pixels → frame pixels.
    public var toFrame: AffineTransform2D
    /// Parts the swap does not replace: the merger shows the target there, cut with a narrow feather (the wide
    /// feather of the face border would let the swap's version show through).
    public var keptParts: FaceParts
    /// Where the new face's features are (frame pixels) when the swapper moved them off the target's landmarks (the
    /// mesh swap's source proportions); nil = on the target's. The merger places kept parts and lip and feature
    /// masks there.
    public var landmarks: FaceLandmarks?
    /// The target moved to ``landmarks`` (swap space, same size as `image`): what the merger keeps and relights
    /// from, so kept eyes and mouth sit in the new face's openings. nil = the frame itself.
    public var target: RGBImage?
    /// Whether the new face was taken under other light than the target's (a photo): the merger then tones its
    /// detail down to the target's when it is harsher (``Relighting/minimumContrast``). A trained decoder paints
    /// faces in its training footage's look already (toning one moved a recogniser towards the target).
    public var fromOtherLight: Bool
    /// How deep the new face's eye sockets lie in its own light's shadow, 0 (not at all) … 1, for a face taken
    /// under other light: the merger relights that share of them with the target's light
    /// (``Relighting/socketContrast``).
    public var socketShadow: Float
    /// How much of the new face's skin above its upper lip is hair (a moustache), 0 … 1, for a face taken under
    /// other light: the merger keeps that share of the moustache's contrast when it tones the face's detail down
    /// (``Relighting/moustacheMargin``).
    public var moustache: Float
    /// How far the target's own brows reach above its brow landmarks, as a share of the face width
    /// (``TargetBrowRise``): the swap covers them, and the merger leaves them out of the target's light, where they
    /// would darken the new forehead in their shape.
    public var browRise: Float = 0
    /// How far the new face's mouth smiles where the target's does not, 0 … 1 (a photo's smile on a pursed mouth,
    /// ``PhotoSmile``): the merger takes that share of the new face's own modelling round the mouth out, where it
    /// is its smile's (``Relighting/smileReach``).
    public var smileMismatch: Float = 0
    /// How far the target's eye sockets are stretched beyond the new face's own, 0 … 1, for a face whose sockets lie
    /// in its light's shadow (``PhotoSocketShadow/stretch``): the merger takes that share of what is left of the
    /// sockets' own detail out too (``Relighting/socketContrast``), where the shadow would spread into a grey blob.
    public var socketStretch: Float = 0

    public init(image: RGBImage, mask: AlphaMask?, toFrame: AffineTransform2D, keptParts: FaceParts = [],
                landmarks: FaceLandmarks? = nil, target: RGBImage? = nil, fromOtherLight: Bool = false,
                socketShadow: Float = 0, moustache: Float = 0) {
        precondition(mask == nil || (mask!.width == image.width && mask!.height == image.height), "mask size differs")
        precondition(target == nil || (target!.width == image.width && target!.height == image.height),
                     "target size differs")
        self.image = image
        self.mask = mask
        self.toFrame = toFrame
        self.keptParts = keptParts
        self.landmarks = landmarks
        self.target = target
        self.fromOtherLight = fromOtherLight
        self.socketShadow = min(max(socketShadow, 0), 1)
        self.moustache = min(max(moustache, 0), 1)
    }
}

/// The seam between face tracking and whatever draws the new face: the one-shot ``MeshSwapper`` now, trained
/// decoders later.
///
/// Contract: the pipeline aligns the face with ``alignment`` when it is non-nil and passes the crop in
/// ``FaceSwapInput/aligned``; the swapper returns its face in any space it likes together with the map to the frame,
/// or nil to leave this face untouched (e.g. a profile it cannot handle). Colour matching and blending are the
/// merger's job, not the swapper's. Implementations may keep state (models, caches) but must be safe to call from
/// the pipeline's processing thread.
public protocol FaceSwapper: Sendable {
    /// The crop this swapper was made for (a trained model's training alignment, a DFM's whole face at its
    /// resolution); the pipeline then cuts faces exactly so. nil = the swapper works in frame space and any
    /// alignment the user chose serves the crops the pipeline shows and measures.
    var alignment: FaceAlignment? { get }

    /// The relighting strength for this swapper's faces when the user sets none (``Relighting/strength``).
    var defaultRelighting: Float { get }

    /// What the user should know about the new face before the swap runs (a photo's face too small to look sharp),
    /// one sentence each; the command line prints them as warnings.
    var advice: [String] { get }

    /// Swaps one face.
    func swap(_ input: FaceSwapInput) throws -> SwappedFace?
}

extension FaceSwapper {
    /// Full relighting: a photo's face takes the target's light and tone whole.
    public var defaultRelighting: Float { 1 }

    /// Nothing to say.
    public var advice: [String] { [] }
}
