import ArgumentParser
import Control
import Face
import Foundation
import Swap

/// The live control panel (`run --control`): where it listens, who may use it, and what it may pick from.
struct ControlOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Serve the live control panel on [HOST:]PORT (host default 127.0.0.1; other hosts need a token).",
                               valueName: "[HOST:]PORT"))
    var control: String?

    @Option(name: .customLong("control-token"), help: ArgumentHelp(
        "Token the panel requires (default: none on 127.0.0.1, a random one printed with the URL elsewhere).", valueName: "TOKEN"))
    var controlToken: String?

    @Option(help: ArgumentHelp("Load settings at start from a JSON file (as the panel saves it; applied over the flags).",
                               valueName: "FILE"))
    var settings: String?

    @Option(name: .customLong("faces-dir"), help: ArgumentHelp("Folder of face photos the panel may pick from.", valueName: "DIR"))
    var facesDir: String?

    @Option(name: .customLong("models-dir"), help: ArgumentHelp("Folder of trained models (.safetensors, .dfm) the panel may pick from.",
                                                                 valueName: "DIR"))
    var modelsDir: String?

    @Option(name: .customLong("record-dir"), help: ArgumentHelp("Folder for the panel's recordings (default: the current folder).",
                                                                 valueName: "DIR"))
    var recordDir: String?

    func validate() throws {
        if let control {
            do { _ = try ControlAddress(parsing: control) } catch { throw ValidationError(error.description) }
        } else if controlToken != nil || facesDir != nil || modelsDir != nil || recordDir != nil {
            throw ValidationError("--control-token, --faces-dir, --models-dir and --record-dir need --control")
        }
        if let controlToken, controlToken.count < 8 || controlToken.contains(where: { !$0.isLetter && !$0.isNumber }) {
            throw ValidationError("--control-token must be at least 8 letters or digits")
        }
        for (flag, folder) in [("--faces-dir", facesDir), ("--models-dir", modelsDir), ("--record-dir", recordDir)] {
            guard let folder else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(flag) \(folder) is not a folder")
            }
        }
    }

    /// Applies `--settings` to `pipeline` and, with `--control`, plugs the live control into it and `job` and
    /// returns the panel's server, started by `job` once Ctrl-C is handled (the caller stops it).
    func prepare(_ pipeline: inout FaceSwapPipeline, job: inout PipelineJob, swapper: SwapperOptions,
                 output: String) throws -> ControlServer? {
        // A settings file may also turn bypass on from the start (the pipeline itself has no such setting).
        let settings = try startSettings(pipeline.liveSettings)
        pipeline.liveSettings = settings
        guard self.control != nil else { return nil }
        let live = LiveSwapControl(settings: settings)
        pipeline.control = live
        let monitor = LiveMonitor(control: live)
        job.monitor = monitor
        guard let server = try server(control: live, monitor: monitor, input: job.input.input, output: output,
                                      swapper: swapper, pipeline: pipeline) else { return nil }
        job.onStart = {
            let url = try server.start()
            Terminal.printError("control panel: \(url)")
        }
        return server
    }

    /// `settings` with the settings file applied, if one was given.
    func startSettings(_ settings: LiveSwapSettings) throws -> LiveSwapSettings {
        guard let file = self.settings else { return settings }
        do { return try settings.loading(file: file) } catch { throw ValidationError(error.description) }
    }

    /// The panel's server for a job, not yet started; nil without `--control`.
    func server(control live: LiveSwapControl, monitor: LiveMonitor, input: String, output: String,
                swapper: SwapperOptions, pipeline: FaceSwapPipeline) throws -> ControlServer? {
        guard let control else { return nil }
        var configuration = ControlServer.Configuration(address: try ControlAddress(parsing: control))
        configuration.token = controlToken ?? (configuration.address.isLoopback ? nil : ControlServer.makeToken())
        configuration.faces = facesDir.map { FolderPicker(folder: $0, extensions: ["png", "jpg", "jpeg", "webp", "bmp"]) }
        configuration.models = modelsDir.map { FolderPicker(folder: $0, extensions: ["safetensors", "dfm", "onnx"]) }
        configuration.commandLine = CommandLineText(arguments: Array(CommandLine.arguments.dropFirst()))
        configuration.input = input
        configuration.output = output
        configuration.recordDirectory = recordDir ?? FileManager.default.currentDirectoryPath
        configuration.face = swapper.face
        configuration.model = swapper.model
        return ControlServer(configuration: configuration, control: live, monitor: monitor) { source in
            switch source {
            case .photo(let path): try pipeline.swapper(for: .photo(path: path))
            case .model(let path): try SwapperOptions.modelSwapper(path)
            }
        }
    }
}
