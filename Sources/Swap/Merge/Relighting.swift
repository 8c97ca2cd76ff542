import Foundation
import Imaging
import Stream

/// Relights a swapped face with the target's own light: the target's low frequencies (illumination, skin tone,
/// white balance) under the swap's high frequencies (texture, brows, lip and eye shapes).
///
/// Both shadings are masked averages (normalised convolution) over skin only: the swap's face where it drew,
/// brows, eyes and lips left out (dilated), and whatever `exclude` holds (glasses frames). So the target's brows or
/// glasses do not shade the new face, and the new face's brows keep their darkness relative to its skin, which a
/// plain low-pass ratio would wash out. Each pixel is multiplied by target shading ÷ swap shading per channel: a
/// greyscale or tinted photo takes the target's colours; features stay as dark as they were against the skin.
///
/// Two shading scales: the fine one (`scale`) in a band along the face's border and around the lips, where the merge
/// is judged against the target; inside the face a coarse one (`interiorScale`), so the new face keeps its own
/// modelling (nose, eye sockets, cheeks) instead of taking the target's face shape from its light (``zones``);
/// there only the brightness is the coarse shading's, the colour stays the fine one's. Along the cheeks and jaw the
/// band's brightness is the fine shading's averaged along the border (``borderSmoothing``): the colour at the
/// border is the target's, its face shape in light is not.
///
/// The shading is estimated on a grid `step` times coarser than the swap (it is smooth by construction), so the cost
/// is one pass to gather, small blurs, and one multiply per pixel.
public struct Relighting: Sendable, Equatable {
    /// 0 = off, 1 = the target's shading in full; in between, the shading ratio is raised to this power.
    public var strength: Float
    /// σ of the shading as a share of the face width: larger keeps more of the photo's own modelling, smaller
    /// follows the target's light more closely but starts to copy its face shape.
    public var scale: Float = 0.035
    /// Smallest σ in swap-space pixels: on a small face (a group photo, a far speaker) a relative σ would fall to a
    /// pixel or two, and the target's own features would come through the shading.
    public var minimumSigma: Float = 3
    /// The shading ratio is kept within 1/limit…limit per channel (a dark photo against a bright scene).
    public var limit: Float = 3
    /// σ of the lips' own shading as a share of the face width (``relightLips``, at least 1 px); 0 = the lips take
    /// the skin's shading and keep their own tone against it.
    public var lipScale: Float = 0.006
    /// How much brighter than its lips' shading a pixel of the swap's lips may stay when it takes the target's lip
    /// tone (``relightLips``). A photo's gloss is its own light's (the target's highlights come with its lip
    /// shading), and what is brighter still in the band is skin or teeth where the rings missed the photo's lips,
    /// which would turn white (docs/BENCHMARKS.md, "Session 22").
    public var lipHighlight: Float = 1.1
    /// How far (pixels) into the mouth's opening the lip step reaches past the inner lip ring. The kept mouth's
    /// feather covers that rim; left as the swap's, a photo's lips reaching into the target's opening showed there
    /// as a red fringe round the teeth (portrait_s1's lipstick on talk_studio_1; docs/BENCHMARKS.md, "Session 23").
    public var lipOpeningRim: Int = 2
    /// σ of the interior's shading as a share of the face width (0 = the fine `scale` everywhere): inside the face,
    /// away from its border and lips, the new face keeps its own modelling below this scale (``zones``).
    public var interiorScale: Float = 0.12
    /// Width of the border band that keeps the fine shading, as a share of the face width: fine up to one band
    /// inside the edge of the swap's weight, the interior's shading from two.
    public var borderBand: Float = 0.06
    /// Brightness shift (log) of the interior's shading from the fine one at which its colour is wholly the
    /// interior's too (in proportion below): a photo's skin takes the chroma that goes with the brightness it gets.
    /// 0 = the colour stays the fine shading's.
    public var interiorChromaShift: Float = 0.2
    /// How far around the lips the fine shading reaches (σ as a share of the face width; ≈ 2σ to the interior's).
    public var mouthReach: Float = 0.06
    /// How far out from the lips (as a share of the face width) a face lit elsewhere whose mouth smiles where the
    /// target's does not loses its own modelling between the fine and the interior's scale, in proportion to
    /// `apply`'s `smile` (``flattenSmile(_:coarseFace:fineFace:mouth:width:share:faceWidth:)``): wholly up to the
    /// lower bound, fading to nothing at the upper one. The astronaut's bright cheek sits about 0.1 beside her
    /// mouth's corner (docs/BENCHMARKS.md, "Session 32"). Equal bounds: never.
    public var smileReach: ClosedRange<Float> = 0.1...0.25
    /// The share of that modelling taken out at a full mismatch (0…1). All of it took the astronaut's bright cheek
    /// out whole, but a face recogniser then saw her in half the frames of talk_studio_2 (0.94 → 0.46; her smile's
    /// cheeks are part of how it knows her); half leaves a faint patch and keeps 0.79 (docs/BENCHMARKS.md,
    /// "Session 32").
    public var smileDepth: Float = 0.5
    /// The share of the face's own fine detail between nose and upper lip (``FaceMeshTopology/upperLipSkin``)
    /// taken out at a full smile mismatch (0…1): a smiling photo's stretched upper lip catches its light, and on a
    /// mouth that does not smile it came out as a pale band over the lip under a darker one below the nose
    /// (talk_may_5s with the astronaut; docs/BENCHMARKS.md, "Session 33").
    public var upperLipFlattening: Float = 0.5
    /// The same for the folds beside the mouth (``FaceMeshTopology/smileFolds``, grown by ``smileFoldReach``): a
    /// smile's creases from the nostrils' wings to the mouth's corners read as a sneer on a mouth that does not
    /// smile. All of it took them out, but a face recogniser then saw the astronaut in 4 % of talk_studio_2's
    /// frames instead of 56 % (2 % with only their dark detail taken out; her creases are part of how it knows
    /// her); half leaves them faint and 44 % (docs/BENCHMARKS.md, "Session 34").
    public var smileFoldFlattening: Float = 0.5
    /// Growth of the folds' rings, as a share of the face width (the feather's σ is two thirds of it): a photo's
    /// creases land on the target's mesh at the rings' outer edge.
    public var smileFoldReach: Float = 0.03
    /// Lowest power the new face's detail is raised to when the photo is lit harder than the scene (its skin's
    /// detail spread over the target's; 1 = never changed).
    public var minimumContrast: Float = 0.5
    /// The same for the skin of a face lit elsewhere, away from its brows, eyes and lips (grown by
    /// ``featureMargin``): a hard-lit photo's shadows (under the nose and lip, in the eye sockets) are its light,
    /// not its features.
    public var minimumSkinContrast: Float = 0.2
    /// How far round the lips (grown, and the feather's σ, as a share of the face width) the detail keeps its
    /// contrast: the lip edges mark the mouth's opening for a landmarker (at 0.006, talk_dpe's mouth gain fell
    /// 0.93 → 0.90); much wider keeps a hard-lit photo's dark band under the lower lip (at 0.04, portrait_s2 on
    /// talk_may_5s: mouth gain 0.75, 0.96 at 0.01).
    public var lipContrastReach: Float = 0.01
    /// σ along the border, as a share of the face width, over which the border band's brightness follows the
    /// target: the band takes the target's brightness averaged at this scale (its light and the falloff of its
    /// make-up, which the colour at the border needs), not its modelling there (cheekbones, jaw: its face shape).
    /// 0 = the fine shading all along the band.
    public var borderSmoothing: Float = 0.15
    /// Over the forehead the band keeps the fine shading: the cut runs across skin there, where a step would show.
    /// It fades in from the brows over this distance (share of the face width) up the face.
    public var foreheadReach: Float = 0.1
    /// Share of the skin's chroma that comes from the target's fine shading on a face lit elsewhere (a photo): its
    /// own chroma detail (a red shadow along the nose, rouge, a tinted lid, brown traces of a fringe) is not the
    /// scene's. Eyes and lips (grown by ``featureMargin``) keep theirs, brows as ``browChroma`` says.
    public var skinChroma: Float = 1
    /// Share of the skin's chroma (``skinChroma``) the brows of a face lit elsewhere take too. They keep their own
    /// darkness, but a photo's light brows in its own chroma, bluer than its pink skin, turned lavender on a
    /// warm-lit target (talk_expressions_d3): hair takes the scene's light as the skin does.
    public var browChroma: Float = 1
    /// Growth of the brow, eye and lip outlines kept out of ``skinChroma``, as a share of the face width (also the
    /// feather's σ).
    public var featureMargin: Float = 0.015
    /// Share of the target's shadow tint (``shadowTint(_:weight:skin:shading:)``) given to the skin detail of a face
    /// lit elsewhere: its shadows and creases turn as the target's own skin does in them, instead of keeping the lit
    /// skin's chroma at a lower luma, which reads as grey.
    public var shadowTint: Float = 1
    /// The power the skin detail of a face lit elsewhere is raised to in its eye sockets (between each brow and
    /// eye, ``sockets(brows:eyes:width:height:feather:)``) when they lie in its own light's shadow, whatever its
    /// overall contrast; there its brightness is the target's fine shading too, not its own modelling. A hard-lit
    /// photo's sockets are its light's shadow, and the mesh stretches them over a target's high brows or lowered
    /// lids into grey blobs (portrait_s2 and portrait_s12 on talk_woman_d10 and talk_studio_4). Applied in
    /// proportion to the face's socket shadow (`apply`'s `socketShadow`, measured once per photo). 1 = the sockets
    /// as the rest of its skin.
    ///
    /// Not tied to the contrast measured per frame: that follows the scene (a photo is "harsher" than a soft-lit
    /// target and not than a contrasty one, and a target's frames vary), and a relit socket that came and went
    /// with it would flicker.
    public var socketContrast: Float = 0.2
    /// Growth (and the feather's σ) of the skin between nose and upper lip (``FaceMeshTopology/upperLipSkin``), as a
    /// share of the face width, where a face lit elsewhere that wears a moustache keeps its features' contrast
    /// instead of its skin's, in proportion to `apply`'s `moustache`: its hair is not its light's shadow, and toned
    /// like one it turned into a grey smudge (portrait_s12 on talk_studio_1; its droop reaches past the mouth's
    /// corners). 0 = toned as skin.
    public var moustacheMargin: Float = 0.03
    /// Mask levels (the blend's, 0…1) over which a face lit elsewhere loses its own detail: whole from the upper
    /// bound up, none at the lower bound and below, fading into the target's fine shading between. Near its outline
    /// a photo's pixels may not be its face (an ear, the wall beside the cheek, a lock of hair), and there the mesh
    /// stretches them most: the shipped photo's ear came out as pale patches on talk_studio_1's cheek. A fade
    /// reaching further in (from 1 down to 0.5) took those out whole, but also the photo's own modelling along its
    /// cheeks and jaw, and a face recogniser then saw the target in more frames (docs/BENCHMARKS.md, "Session 24").
    /// An upper bound of 0 keeps the detail whole up to the edge.
    public var edgeDetail: ClosedRange<Float> = 0.1...0.6
    /// For a face lit elsewhere, its skin's shadows that are too dark to count as skin take the shading round them,
    /// so their detail is toned like the rest of its light (``Relighting/minimumSkinContrast``), except within this
    /// share of the face width round the lips and a moustache, whose own dark detail stays. Below 0: only the eye
    /// sockets are filled. portrait_s12's dark line down the side of its nose and the shadow on its chin went
    /// through untoned (docs/BENCHMARKS.md, "Session 24").
    public var shadowFillMouthReach: Float = 0.04

    /// Pixels `apply`'s `exclude` covers by more than this are left out of the target's shading whole, not in
    /// proportion. Where all round a pixel is left out in part, a normalised average is its few weighted pixels':
    /// the target's risen brows, left out in proportion under their wide feather, came back as a grey band over the
    /// new forehead (talk_woman_d10, every photo). 1 = in proportion everywhere.
    public var excludedWhole: Float = 0.5

    /// Share of its side light a face lit elsewhere takes from the target inside the face (0…1): between the fine
    /// and the interior's scale, the antisymmetric part of its brightness across the face's midline
    /// (``antisymmetric(_:mesh:width:height:)``) becomes the target's; the symmetric part, its face's shape in light,
    /// stays its own. Without it the interior kept all of the photo's modelling there: a frontally lit photo (or one
    /// whose side light ``PhotoSideLight`` took out) left a flat nose and even cheeks on a side-lit target, and what
    /// side light a photo still held (a grey patch beside portrait_s1's nose, a dark streak down portrait_s12's) went
    /// onto every target (talk_studio_1; docs/BENCHMARKS.md, "Session 40"). 0 = none.
    public var sideLight: Float = 1
    /// How far round the lips (σ as a share of the face width, like ``mouthReach``) the side light fades out. A
    /// landmarker reads the lips' opening partly from the shading round them: with the lips' own reach the mouth
    /// gain of the shipped photo on talk_studio_1 fell 0.97 → 0.87, with this one to 0.91 (docs/BENCHMARKS.md,
    /// "Session 40").
    public var sideLightMouthReach: Float = 0.12

    /// The default strength for trained models (`facelive` and `.dfm`): their decoder already paints the face in the
    /// target's tones, and at full strength the target's shading brings its own features back onto a model's
    /// smooth, young face (docs/BENCHMARKS.md, "Fourth round").
    public static let trainedModelStrength: Float = 0.25

    /// Coarse-grid step in swap-space pixels.
    static let step = 4

    /// log(max(luma, 1)) for each sum R + G + B of a pixel (0…765): the detail's log without one per pixel.
    static let logLuma: [Float] = (0...765).map { log(max(Float($0) / 3, 1)) }

    public init(strength: Float = 1) {
        self.strength = strength
    }

    /// Relights `face` to `target` (same size) under `weight` (where the swap drew, 0…1), changing only pixels
    /// where `region` > 1/255.
    ///
    /// - Parameters:
    ///   - features: polygons (swap-space pixels) left out of both shadings.
    ///   - mouth: the outer lip ring (swap-space pixels): the fine shading reaches around it (``zones``).
    ///   - brows: the two eyebrow rings (swap-space pixels): above them the border keeps the fine shading
    ///     (``brightnessShift``).
    ///   - eyes: the two eye rings (swap-space pixels), in the brows' order: with them, the eye sockets
    ///     (``socketContrast``).
    ///   - exclude: swap-space pixels (0…1) left out of the target's shading (e.g. its glasses).
    ///   - faceWidth: width of the face in swap-space pixels.
    ///   - fromOtherLight: whether the face was lit elsewhere (a photo): a face harsher than the target has its
    ///     detail toned down (``minimumContrast``) and its skin takes the target's chroma (``skinChroma``).
    ///   - socketShadow: for a face lit elsewhere, how deep its eye sockets lie in its light's shadow (0…1): the
    ///     share of ``socketContrast`` and of the fine shading they take.
    ///   - socketStretch: how far the target's sockets are stretched beyond the face's own (0…1): that share of the
    ///     detail ``socketContrast`` leaves in them goes too.
    ///   - upperLipSkin: the skin between nose and upper lip (swap-space pixels, ``FaceMeshTopology/upperLipSkin``):
    ///     a moustache's zone, and where `smile` flattens the face's fine detail.
    ///   - smileFolds: the folds from the nostrils' wings to the mouth's corners (swap-space pixels,
    ///     ``FaceMeshTopology/smileFolds``): where `smile` flattens it too.
    ///   - moustache: for a face lit elsewhere, how much of that skin is hair (0…1): the share of it that keeps its
    ///     features' contrast (``moustacheMargin``), and that `smile` spares in both zones it flattens.
    ///   - smile: for a face lit elsewhere, how far its mouth smiles where the target's does not (0…1): the share of
    ///     its own modelling round the mouth taken out (``smileReach``), and of its fine detail between nose and
    ///     upper lip (``upperLipFlattening``) and in the folds beside the mouth (``smileFoldFlattening``).
    ///   - mesh: the new face's 468 landmarks (swap-space pixels): for a face lit elsewhere, its midline, across which
    ///     the target's side light is found (``sideLight``); none without.
    func apply(to face: inout RGBImage, target: RGBImage, weight: AlphaMask, region: AlphaMask,
               features: [[SIMD2<Float>]], mouth: [SIMD2<Float>] = [], brows: [[SIMD2<Float>]] = [],
               eyes: [[SIMD2<Float>]] = [], exclude: AlphaMask?, faceWidth: Float, fromOtherLight: Bool = true,
               socketShadow: Float = 0, socketStretch: Float = 0, upperLipSkin: [SIMD2<Float>] = [],
               smileFolds: [[SIMD2<Float>]] = [],
               moustache: Float = 0, smile: Float = 0, mesh: [SIMD2<Float>] = []) {
        guard strength > 0, faceWidth > 1 else { return }
        let (w, h) = (face.width, face.height)
        let step = Self.step
        let (lw, lh) = ((w + step - 1) / step, (h + step - 1) / step)
        // Gathered per cell: weighted target RGB, weighted face RGB (0…1, cell averages), the two weights.
        var cells = [SIMD8<Float>](repeating: .zero, count: lw * lh)
        let excludedWhole = self.excludedWhole
        let norm = 1 / Float(step * step)
        face.pixels.withUnsafeBufferPointer { s in
            target.pixels.withUnsafeBufferPointer { t in
                weight.values.withUnsafeBufferPointer { m in
                    (exclude?.values ?? []).withUnsafeBufferPointer { e in
                        cells.withUnsafeMutableBufferPointer { acc in
                            for y in 0..<h {
                                let row = acc.baseAddress! + (y / step) * lw
                                for x in 0..<w {
                                    let i = y * w + x
                                    let ws = m[i] * norm
                                    guard ws > 0 else { continue }
                                    let wt = e.isEmpty ? ws : e[i] > excludedWhole ? 0 : ws * (1 - e[i])
                                    let a = wt / 255, b = ws / 255
                                    row[x / step] += SIMD8(a * Float(t[3 * i]), a * Float(t[3 * i + 1]), a * Float(t[3 * i + 2]),
                                                           b * Float(s[3 * i]), b * Float(s[3 * i + 1]), b * Float(s[3 * i + 2]),
                                                           wt, ws)
                                }
                            }
                        }
                    }
                }
            }
        }
        let gathered = Cells(planes: (0..<6).map { p in AlphaMask(width: lw, height: lh, values: cells.map { $0[p] }) },
                             weightT: AlphaMask(width: lw, height: lh, values: cells.map { $0[6] }),
                             weightS: AlphaMask(width: lw, height: lh, values: cells.map { $0[7] }))
        let fineSigma = max(scale * faceWidth, minimumSigma)
        var fine = ratios(gathered, features: features, cellSize: Float(step), sigma: fineSigma,
                          targetChroma: fromOtherLight, detail: fromOtherLight)
        var ratio = fine.ratio
        let socketShare = fromOtherLight && socketContrast < 1 ? min(max(socketShadow, 0), 1) : 0
        let toCell = 1 / Float(step)
        func onGrid(_ rings: [[SIMD2<Float>]]) -> [[SIMD2<Float>]] { rings.map { Self.onCells($0, toCell: toCell) } }
        // A photo's shadowed sockets on the cell grid.
        let cellSockets = socketShare > 0
            ? Self.sockets(brows: onGrid(brows), eyes: onGrid(eyes), width: lw, height: lh,
                           feather: max(2 * featureMargin * faceWidth * toCell, 0.5))
            : nil
        // Inside the face the target's fine shading carries its face shape (its identity): there the shading is a
        // coarse one, estimated on a grid twice as coarse, and blended in by a smooth map of the face's zones.
        let coarseSigma = interiorScale * faceWidth
        if interiorScale > 0, coarseSigma > fineSigma {
            let half = gathered.halved()
            let interior = ratios(half, features: features, cellSize: Float(2 * step), sigma: coarseSigma,
                                  targetChroma: fromOtherLight)
            let coarse = Self.upsample(interior.ratio, width: half.weightS.width, height: half.weightS.height, to: lw, lh)
            // Only the ratio's brightness moves (a product of powers); its colour stays the fine shading's. Face
            // shape lives in the brightness, while a coarse colour ratio keeps the photo's own mid-scale tints (a
            // ruddy cheek, a sun-tanned nose) on a face the target's camera saw evenly. (A photo's skin takes the
            // target's chroma outright; that chroma follows the brightness below.)
            var difference = (0..<(lw * lh)).map { c -> Float in
                let o = 3 * c
                let product = (coarse[o] / ratio[o]) * (coarse[o + 1] / ratio[o + 1]) * (coarse[o + 2] / ratio[o + 2])
                return log(product) / 3
            }
            let cellMouth = Self.onCells(mouth, toCell: toCell)
            // Round a mouth that smiles where the target's does not, the face's own modelling is its smile's.
            if fromOtherLight, smile > 0, smileDepth > 0 {
                let coarseFace = Self.upsample(interior.faceShade, width: half.weightS.width,
                                               height: half.weightS.height, to: lw, lh, channels: 1)
                flattenSmile(&difference, coarseFace: coarseFace, fineFace: fine.faceShade,
                             mouth: cellMouth, width: lw, share: smileDepth * min(smile, 1),
                             faceWidth: faceWidth * toCell)
            }
            // The side light: the antisymmetric part of the target's modelling finer than the interior's scale, in
            // place of the face's own.
            let sided = fromOtherLight && sideLight > 0
                ? Self.antisymmetric(difference, mesh: Self.onCells(mesh, toCell: toCell), width: lw, height: lh)
                    .map { $0.map { sideLight * $0 } }
                : nil
            var shift = brightnessShift(difference, weight: gathered.weightS, mouth: cellMouth, brows: onGrid(brows),
                                        faceWidth: faceWidth * toCell, keeping: sided)
            // A photo's sockets take the target's fine shading: their own modelling is its light's.
            if let sockets = cellSockets {
                for c in shift.indices { shift[c] *= 1 - socketShare * min(sockets.values[c], 1) }
            }
            for c in 0..<(lw * lh) where shift[c] != 0 {
                let gain = exp(shift[c])
                for k in 0..<3 { ratio[3 * c + k] *= gain }
            }
            // The target's fine chroma belongs to its fine brightness: a highlight's is paler (the light's own
            // colour mixed in), a shadow's deeper. Where the brightness moves to the coarse shading's, so does the
            // colour, or a highlight's pale chroma at the coarse brightness reads as a grey patch (the astronaut's
            // nose bridge on portrait_1080x1920_hands).
            if interiorChromaShift > 0, !fine.targetChroma.isEmpty, !interior.targetChroma.isEmpty {
                let chroma = Self.upsample(interior.targetChroma.flatMap { [$0.x, $0.y, $0.z] },
                                           width: half.weightS.width, height: half.weightS.height, to: lw, lh)
                for c in 0..<(lw * lh) where shift[c] != 0 {
                    let t = min(abs(shift[c]) / interiorChromaShift, 1)
                    let target = SIMD3(chroma[3 * c], chroma[3 * c + 1], chroma[3 * c + 2])
                    fine.targetChroma[c] += t * (target - fine.targetChroma[c])
                }
            }
        }
        // A face lit elsewhere: its skin (not its brows, eyes and lips, grown and feathered) takes the target's
        // chroma and its shadows are toned further than its features.
        var skin: AlphaMask?
        if fromOtherLight, features.count >= 1 {
            var grown = grownOutlines(features, width: w, height: h, faceWidth: faceWidth)
            for i in grown.values.indices { grown.values[i] = 1 - min(grown.values[i], 1) }
            skin = grown
        }
        var detail: Detail?
        let fadesAtEdge = fromOtherLight && edgeDetail.upperBound > 0 && edgeDetail.upperBound > edgeDetail.lowerBound
        if fromOtherLight, fine.contrast < 0.999 || socketShare > 0 || fadesAtEdge {
            // The lips keep their contrast (their own step follows, and a landmarker reads their opening there).
            let reach = max(lipContrastReach * faceWidth, 1)
            let lips = AlphaMask(width: w, height: h, placing: mouth.count < 3 ? nil : PolygonRasterizer.fill(
                [mouth], width: w, height: h, grownBy: Int(reach.rounded(.up)), feather: reach))
            // A moustache keeps its features' contrast: that share of its zone is not skin to the toning.
            var toned = skin
            let moustacheShare = min(max(moustache, 0), 1)
            if moustacheShare > 0, moustacheMargin > 0, upperLipSkin.count >= 3, var hairless = toned {
                let margin = max(moustacheMargin * faceWidth, 1)
                let zone = AlphaMask(width: w, height: h, placing: PolygonRasterizer.fill(
                    [upperLipSkin], width: w, height: h, grownBy: Int(margin.rounded()), feather: margin))
                for i in zone.values.indices where zone.values[i] > 0 {
                    hairless.values[i] *= 1 - moustacheShare * min(zone.values[i], 1)
                }
                toned = hairless
            }
            detail = Detail(featurePower: max(minimumContrast, fine.contrast),
                            skinPower: max(minimumSkinContrast, fine.contrast), skin: toned, keep: lips,
                            edge: fadesAtEdge ? region : nil, edgeFade: edgeDetail)
            // A smiling photo's stretched upper lip and the folds beside its mouth, on a mouth that does not smile.
            detail?.flattened = smileFlattening(upperLipSkin: upperLipSkin, folds: smileFolds, smile: smile,
                                                moustache: moustacheShare, width: w, height: h, faceWidth: faceWidth)
            if socketShare > 0 {
                detail?.sockets = Self.sockets(brows: brows, eyes: eyes, width: w, height: h,
                                               feather: max(featureMargin * faceWidth, 1))
                // Stretched over a target's taller sockets, what the power leaves of a deep shadow is a grey blob.
                let power = socketContrast * (1 - min(max(socketStretch, 0), 1))
                detail?.socketPower = 1 + (power - 1) * socketShare
            }
        }
        var chroma: Chroma?
        if skinChroma > 0, var share = skin {
            if browChroma > 0, brows.contains(where: { $0.count >= 3 }) {
                let grown = grownOutlines(brows, width: w, height: h, faceWidth: faceWidth)
                for i in share.values.indices { share.values[i] = max(share.values[i], browChroma * min(grown.values[i], 1)) }
            }
            if skinChroma < 1 { for i in share.values.indices { share.values[i] *= skinChroma } }
            chroma = Chroma(target: fine.targetChroma, share: share, tint: fine.shadowTint)
        }
        // Cells of shadowed sockets without a shading of the face's own take their neighbours': without one their
        // detail is not toned, and the darkest of a deep socket shadow stays as a dark blot under the brow.
        // Shadows too dark to count as the photo's skin (a hard-lit photo's nose side, its chin's shadow, a lock's
        // shade) have no shading of their own either, and pass untoned: they take their neighbours' on its skin.
        var fillZone = cellSockets
        if detail != nil, let skin, shadowFillMouthReach >= 0 {
            let spared = moustache > 0 ? mouth + upperLipSkin : mouth
            var zone = Self.skinCells(skin, cellSize: step, width: lw, height: lh, sparing: spared,
                                      grownBy: shadowFillMouthReach * faceWidth * toCell)
            if let sockets = cellSockets { zone.formUnion(sockets) }
            fillZone = zone
        }
        let faceShade = fillZone.map { Self.filling(fine.faceShade, in: $0, width: lw, height: lh) } ?? fine.faceShade
        Self.multiply(&face, by: ratio, width: lw, height: lh, region: region, faceShade: faceShade, detail: detail,
                      chroma: chroma)
    }

    /// The gathered cells: weighted target and face colour sums (3 + 3 planes) and their weights.
    struct Cells {
        var planes: [AlphaMask]
        var weightT: AlphaMask
        var weightS: AlphaMask

        /// Cells twice as large (means of 2 × 2).
        func halved() -> Cells {
            func half(_ m: AlphaMask) -> AlphaMask {
                let (w, h) = ((m.width + 1) / 2, (m.height + 1) / 2)
                var out = AlphaMask(width: w, height: h)
                for y in 0..<m.height {
                    for x in 0..<m.width { out.values[(y / 2) * w + x / 2] += 0.25 * m.values[y * m.width + x] }
                }
                return out
            }
            return Cells(planes: planes.map(half), weightT: half(weightT), weightS: half(weightS))
        }
    }

    /// Swap-space points in the coordinates of a grid of cells `1 / toCell` pixels wide (cell centres at integers).
    static func onCells(_ ring: [SIMD2<Float>], toCell: Float) -> [SIMD2<Float>] {
        ring.map { ($0 + 0.5) * toCell - 0.5 }
    }

    /// Ratio planes (target shading ÷ face shading)^strength, R G B interleaved per cell, for shadings with σ
    /// `sigma` swap-space pixels on cells of `cellSize` pixels; `features` (swap-space polygons) left out. For a
    /// face lit elsewhere, also the target's chroma (`targetChroma`; otherwise none) and how far the face's detail
    /// is to be toned down and the target's shadows tint (`detail`; otherwise a contrast of 1 and no tint).
    private func ratios(_ cells: Cells, features: [[SIMD2<Float>]], cellSize: Float, sigma: Float,
                        targetChroma wantsChroma: Bool = false, detail wantsDetail: Bool = false) -> Estimate {
        var planes = cells.planes, weightT = cells.weightT, weightS = cells.weightS
        let (lw, lh) = (weightS.width, weightS.height)
        // Features out of both estimates, one cell wider than their outline.
        var holes = AlphaMask(width: lw, height: lh)
        let toCell = 1 / cellSize
        for ring in features { PolygonRasterizer.fill(Self.onCells(ring, toCell: toCell), into: &holes) }
        holes.erode(pixels: -1)
        for c in holes.values.indices where holes.values[c] > 0 {
            let keep = 1 - holes.values[c]
            for p in 0..<6 { planes[p].values[c] *= keep }
            weightT.values[c] *= keep
            weightS.values[c] *= keep
        }
        let sigma = sigma * toCell
        // Two passes: the second leaves out cells far from the first pass's shading (a brow or lip line the
        // landmarks missed, a mole, a shadow edge), which would otherwise print a pale or dark blotch.
        var target = Shading(planes: Array(planes[0..<3]), weight: weightT)
        var source = Shading(planes: Array(planes[3..<6]), weight: weightS)
        // The photo is evenly lit, so anything far from its typical skin is not skin: hair fringes reaching into
        // the outline, brows and lashes the landmarks missed, highlights. The scene's shadows are real light, so
        // the target's limits are wider: only what is far darker than its skin (a moustache, a beard, frames) is
        // left out, then whatever stands out locally.
        // The final estimates are local linear fits: at the border of the face, where only one side has skin, a
        // plain average would give the inner face's light to the border (a lighter rim on a face that darkens
        // towards its edge, as under contour make-up or side light).
        source.estimate(sigma: sigma, weights: source.typicalSkinWeights(dark: 0.8, bright: 1.3), linear: true)
        let targetSkin = target.typicalSkinWeights(dark: 0.45, bright: 1.6)
        target.estimate(sigma: sigma, weights: targetSkin)
        target.reweight(sigma: sigma, linear: true)
        // The whole face's ratio where either has no skin nearby.
        let meanTarget = target.mean
        let overall = (meanTarget + 1e-3) / (source.mean + 1e-3)
        var ratio = [Float](repeating: 1, count: 3 * lw * lh)
        let (low, high) = (1 / limit, limit)
        var faceShade = [Float](repeating: 0, count: lw * lh)
        // Only a face lit elsewhere takes the target's chroma; where the target has no skin near, its mean's.
        var targetChroma = wantsChroma
            ? [SIMD3<Float>](repeating: 3 * meanTarget / max(meanTarget.sum(), 1e-3), count: lw * lh) : []
        for c in 0..<(lw * lh) {
            var r = overall
            let t = target.shade(c)
            if let t, let s = source.shade(c) {
                r = (t + 1e-3) / (s + 1e-3)
                faceShade[c] = s.sum() / 3
            }
            if wantsChroma, let t, t.sum() > 1e-3 { targetChroma[c] = 3 * t / t.sum() }
            for k in 0..<3 {
                let v = strength == 1 ? r[k] : pow(r[k], strength)
                ratio[3 * c + k] = min(max(v, low), high)
            }
        }
        // A photo lit harder than the scene (deep shadows under the nose and lip, a studio's contrast) keeps its
        // contrast as detail; it is brought down to the target's own.
        var contrast: Float = 1
        if wantsDetail, let t = Self.detailSpread(planes[0..<3], weight: weightT, shading: target),
           let f = Self.detailSpread(planes[3..<6], weight: weightS, shading: source), f > t {
            contrast = pow(t / f, strength)
        }
        let tint = wantsDetail && shadowTint > 0
            ? Self.shadowTint(planes[0..<3], weight: weightT, skin: targetSkin, shading: target) * shadowTint : .zero
        return Estimate(ratio: ratio, faceShade: faceShade, targetChroma: targetChroma, shadowTint: tint,
                        contrast: contrast)
    }

    /// A shading estimate's result: the ratio planes (R G B per cell), the face's shading luma per cell (0…1, 0 where
    /// it has none), the target shading's chroma per cell (RGB ÷ their mean; empty unless the face was lit
    /// elsewhere) and the power the face's detail is raised to (1 = as it is; its floors apply later, on features
    /// and on skin).
    struct Estimate {
        var ratio: [Float]
        var faceShade: [Float]
        var targetChroma: [SIMD3<Float>]
        /// How the target's skin colour turns as its detail darkens: per channel, the slope of log(chroma ÷ the
        /// shading's) on log(luma ÷ the shading's) (``shadowTint(_:weight:skin:shading:)``); zero unless lit
        /// elsewhere.
        var shadowTint: SIMD3<Float>
        var contrast: Float
    }

    /// Standard deviation of log(cell luma ÷ shading luma) over the full skin cells: how much the skin's detail
    /// (shadows, blemishes, texture coarser than a cell) departs from its shading; nil with too few cells.
    private static func detailSpread(_ planes: ArraySlice<AlphaMask>, weight: AlphaMask, shading: Shading) -> Float? {
        let full = 0.5 * weight.maximum
        guard full > 0 else { return nil }
        var sum: Float = 0, squares: Float = 0, n: Float = 0
        for c in weight.values.indices where weight.values[c] >= full {
            guard let shade = shading.shade(c) else { continue }
            let luma = planes.reduce(0) { $0 + $1.values[c] } / weight.values[c]
            let d = log(max(luma, 1e-3) / max(shade.sum(), 1e-3))
            sum += d
            squares += d * d
            n += 1
        }
        guard n >= 16 else { return nil }
        return max(squares / n - (sum / n) * (sum / n), 0).squareRoot()
    }

    /// How the target's skin colour changes with its detail: over its full skin cells (typical-skin factor ≥ ½), the
    /// least-squares slope of each channel's log(cell chroma ÷ shading chroma) on log(cell luma ÷ shading luma).
    /// Skin in shadow (a crease, the side of the nose) is warmer than the lit skin round it: red rises, blue falls
    /// (measured on the shared talking heads: about −0.15…−0.2 for red, +0.1…+0.3 for blue). Zero with too little
    /// detail to measure.
    private static func shadowTint(_ planes: ArraySlice<AlphaMask>, weight: AlphaMask, skin: [Float],
                                   shading: Shading) -> SIMD3<Float> {
        let full = 0.5 * weight.maximum
        guard full > 0 else { return .zero }
        var n: Float = 0, sx: Float = 0, sxx: Float = 0, sy = SIMD3<Float>.zero, sxy = SIMD3<Float>.zero
        let p = Array(planes)
        for c in weight.values.indices where weight.values[c] >= full && skin[c] >= 0.5 {
            guard let shade = shading.shade(c), shade.min() > 1e-3 else { continue }
            let cell = SIMD3(p[0].values[c], p[1].values[c], p[2].values[c]) / weight.values[c]
            guard cell.min() > 1e-3 else { continue }
            let x = log(cell.sum() / shade.sum())
            let y = SIMD3(log(cell.x / shade.x), log(cell.y / shade.y), log(cell.z / shade.z)) - x
            n += 1; sx += x; sxx += x * x; sy += y; sxy += x * y
        }
        guard n >= 16 else { return .zero }
        let variance = sxx / n - (sx / n) * (sx / n)
        // A face with almost no detail says nothing about its shadows' colour: the slope is shrunk towards 0.
        let slope = (sxy / n - (sx / n) * (sy / n)) / (variance + 0.002)
        return slope.clamped(lowerBound: SIMD3(repeating: -0.5), upperBound: SIMD3(repeating: 0.5))
    }

    /// `coarse` (`channels` interleaved planes on cells twice as large, `cw` × `ch`) bilinearly interpolated onto
    /// `lw` × `lh` cells.
    private static func upsample(_ coarse: [Float], width cw: Int, height ch: Int, to lw: Int, _ lh: Int,
                                 channels: Int = 3) -> [Float] {
        var out = [Float](repeating: 1, count: channels * lw * lh)
        for y in 0..<lh {
            let fy = min(max((Float(y) + 0.5) / 2 - 0.5, 0), Float(ch - 1))
            let y0 = Int(fy), y1 = min(y0 + 1, ch - 1), ty = fy - Float(y0)
            for x in 0..<lw {
                let fx = min(max((Float(x) + 0.5) / 2 - 0.5, 0), Float(cw - 1))
                let x0 = Int(fx), x1 = min(x0 + 1, cw - 1), tx = fx - Float(x0)
                for k in 0..<channels {
                    @inline(__always) func at(_ xx: Int, _ yy: Int) -> Float { coarse[channels * (yy * cw + xx) + k] }
                    let top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * tx
                    let bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * tx
                    out[channels * (y * lw + x) + k] = top + (bottom - top) * ty
                }
            }
        }
        return out
    }

    /// How the new face's detail is toned down: the powers on features and on skin, where the skin is (0…1 per
    /// pixel; nil: the features' power everywhere), where the detail is kept, and the eye sockets (0…1 per pixel),
    /// whose skin takes at most `socketPower`.
    struct Detail {
        var featurePower: Float
        var skinPower: Float
        var skin: AlphaMask?
        var keep: AlphaMask
        /// Where (0…1) the face's fine detail is taken out whatever its features' power.
        var flattened: AlphaMask?
        var sockets: AlphaMask?
        var socketPower: Float = 1
        /// The blend's mask, over whose levels `edgeFade` the detail fades (``edgeDetail``).
        var edge: AlphaMask?
        var edgeFade: ClosedRange<Float> = 0...1

        /// The share of the detail kept at mask level `m`: smoothstep over `fade` (an `edgeFade`).
        @inline(__always) static func edgeShare(_ m: Float, over fade: ClosedRange<Float>) -> Float {
            guard m < fade.upperBound else { return 1 }
            return Ramp(from: fade.lowerBound, full: fade.upperBound)(m)
        }
    }

    /// The outlines `rings` filled, grown by ``featureMargin`` of `faceWidth` and feathered as much (0…1 or more
    /// where they overlap).
    private func grownOutlines(_ rings: [[SIMD2<Float>]], width: Int, height: Int, faceWidth: Float) -> AlphaMask {
        let margin = max(featureMargin * faceWidth, 1)
        return AlphaMask(width: width, height: height, placing: PolygonRasterizer.fill(
            rings.filter { $0.count >= 3 }, width: width, height: height, grownBy: Int(margin.rounded()), feather: margin))
    }

    /// Where (0…1 per pixel) the face's chroma is the target shading's, that chroma per cell, and how it turns with
    /// the face's detail (the target's shadow tint, per channel on log detail).
    struct Chroma {
        var target: [SIMD3<Float>]
        var share: AlphaMask
        var tint: SIMD3<Float> = .zero
    }
}
