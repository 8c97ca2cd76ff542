import Foundation
import Testing
@testable import Neural
@testable import Face
import TestSupport

/// The runtime reproduces LiteRT's outputs on the reference inputs (max |Δ| ≤ 1e-3).
@Suite struct GoldenTensorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let model: FaceModel
        let input: String
        let outputs: [String: String]  // tensor name → file
        var testDescription: String { model.rawValue }
    }

    static let cases = [
        Case(model: .shortRangeDetector, input: "blazeface_short_in_1x128x128x3",
             outputs: ["regressors": "blazeface_short_out_regressors", "classificators": "blazeface_short_out_classificators"]),
        Case(model: .fullRangeDetector, input: "blazeface_full_in_1x192x192x3",
             outputs: ["reshaped_regressor_face_4": "blazeface_full_out_reshaped_regressor_face_4",
                       "reshaped_classifier_face_4": "blazeface_full_out_reshaped_classifier_face_4"]),
        Case(model: .landmarks, input: "facemesh_in_1x192x192x3",
             outputs: ["conv2d_20": "facemesh_out_conv2d_20", "conv2d_30": "facemesh_out_conv2d_30"]),
        Case(model: .palmDetector, input: "palm_detection_lite_in_1x192x192x3",
             outputs: ["Identity": "palm_detection_lite_out_Identity", "Identity_1": "palm_detection_lite_out_Identity_1"]),
        Case(model: .handLandmarks, input: "hand_landmark_lite_in_1x224x224x3",
             outputs: ["Identity": "hand_landmark_lite_out_Identity", "Identity_1": "hand_landmark_lite_out_Identity_1",
                       "Identity_2": "hand_landmark_lite_out_Identity_2", "Identity_3": "hand_landmark_lite_out_Identity_3"]),
        Case(model: .eyeLandmarks, input: "iris_landmark_in_1x64x64x3",
             outputs: ["output_eyes_contours_and_brows": "iris_landmark_out_output_eyes_contours_and_brows",
                       "output_iris": "iris_landmark_out_output_iris"]),
    ]

    /// Runs `graph` on `golden/<input>.npy` from `directory` and returns max |Δ| per output.
    static func maxErrors(_ graph: Graph, _ c: Case, in directory: URL) throws -> [String: Float] {
        let input = try NumpyArray(contentsOf: directory.appendingPathComponent(c.input + ".npy"))
        #expect(input.shape == graph.inputShapes[0].dims)
        let outputs = GraphExecutor(graph: graph).run([Tensor(shape: TensorShape(input.shape), values: input.values)])
        var errors: [String: Float] = [:]
        for (name, file) in c.outputs {
            let expected = try NumpyArray(contentsOf: directory.appendingPathComponent(file + ".npy"))
            let index = try #require(graph.outputIndex(named: name), "output \(name) missing")
            let got = outputs[index]
            #expect(got.shape.count == expected.values.count)
            errors[name] = zip(got.scalars, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        }
        return errors
    }

    // Needs ../shared/golden (LiteRT reference tensors); skipped when absent.
    @Test(.enabled(if: TestResources.hasSharedGolden, "skipped: ../shared/golden not present"), arguments: cases)
    func vendoredModelMatchesLiteRT(_ c: Case) throws {
        let errors = try Self.maxErrors(TestResources.graphs[c.model]!, c, in: TestResources.sharedGolden)
        for (name, error) in errors.sorted(by: { $0.key < $1.key }) {
            print("golden \(c.model.rawValue) \(name): max |Δ| \(error)")
            #expect(error <= 1e-3, "\(c.model) \(name): max |Δ| \(error)")
        }
    }

    // The copies in ../shared/models are the same networks; checks them directly when present.
    @Test(.enabled(if: TestResources.hasSharedGolden && TestResources.hasSharedModels, "skipped: ../shared not present"),
          arguments: cases)
    func sharedModelMatchesLiteRT(_ c: Case) throws {
        let url = TestResources.sharedModels.appendingPathComponent(c.model.fileName)
        let graph = try TFLiteModel(contentsOf: url).makeGraph()
        let errors = try Self.maxErrors(graph, c, in: TestResources.sharedGolden)
        for (name, error) in errors.sorted(by: { $0.key < $1.key }) {
            print("golden \(c.model.rawValue) \(name): max |Δ| \(error)")
            #expect(error <= 1e-3, "\(c.model) \(name): max |Δ| \(error)")
        }
    }
}
