import Foundation
import HTTPTypes
import Hummingbird
import Stream
import Swap

extension ControlServer {
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ControlSecurity(hostNames: { [self] in hostNames }, token: configuration.token))
        router.get("/") { _, _ in Self.resource("index.html", type: "text/html; charset=utf-8") }
        router.get("/panel.js") { _, _ in Self.resource("panel.js", type: "text/javascript; charset=utf-8") }
        router.get("/panel.css") { _, _ in Self.resource("panel.css", type: "text/css; charset=utf-8") }
        router.get("/api/state") { [self] _, _ in JSONResponse.ok(state()) }
        router.get("/api/settings") { [self] _, _ in JSONResponse.ok(control.settings.jsonObject) }
        router.patch("/api/settings") { [self] request, context in
            try await respond { try await patchSettings(request) }
        }
        router.post("/api/bypass") { [self] request, _ in
            try await respond {
                var request = request
                let body = try await request.collectBody(upTo: 4096)
                let object = body.readableBytes == 0 ? [:] : try Self.object(body)
                let wanted: Bool
                if let value = object["bypass"] {
                    guard let flag = value as? Bool else { throw ControlError.badField(field: "bypass", message: "expected true or false") }
                    wanted = flag
                } else {
                    wanted = !control.settings.bypass
                }
                let settings = try control.update { $0.bypass = wanted }
                return JSONResponse.ok(["bypass": settings.bypass])
            }
        }
        router.post("/api/face") { [self] request, _ in
            try await respond { try await uploadFace(request) }
        }
        router.post("/api/recording") { [self] request, _ in
            try await respond {
                var request = request
                let body = try await request.collectBody(upTo: 4096)
                return try record(body.readableBytes == 0 ? [:] : try Self.object(body))
            }
        }
        router.get("/api/preview.jpg") { [self] request, _ in
            let view = request.uri.queryParameters["view"].flatMap { LiveMonitor.View(rawValue: String($0)) } ?? .output
            monitor.watch(view)
            guard let picture = monitor.picture(view) else {
                return JSONResponse.error(.serviceUnavailable, message: "no frame yet")
            }
            var headers = HTTPFields()
            headers[.contentType] = "image/jpeg"
            headers[.cacheControl] = "no-store"
            let data = try jpeg.encode(picture)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/api/events") { [self] request, _ in
            let view = request.uri.queryParameters["view"].flatMap { LiveMonitor.View(rawValue: String($0)) }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody { [self] writer in
                try await streamEvents(view: view, to: &writer)
            })
        }
        return router
    }

    /// Runs `body`, turning the API's errors into HTTP 400 (or 413) with a JSON `error` and `field`.
    private func respond(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as ControlError {
            return JSONResponse.error(.badRequest, message: error.description, field: error.field)
        } catch let error as LiveSwapSettingsError {
            return JSONResponse.error(.badRequest, message: error.description, field: error.field)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return JSONResponse.error(.contentTooLarge, message: "too large: at most \(Self.maxUploadBytes >> 20) MB")
        }
    }

    /// Everything the panel shows: settings, new face, input, output, figures and the equivalent command.
    func state() -> [String: Any] {
        let settings = control.settings
        let (face, model) = self.face.withLock { $0 }
        let encoder = JSONEncoder()
        let figures = (try? encoder.encode(monitor.figures)).flatMap { try? JSONSerialization.jsonObject(with: $0) } ?? [:]
        let history = monitor.history.map { [$0.latencyP50, $0.latencyP99] }
        var state: [String: Any] = [
            "settings": settings.jsonObject,
            "bypass": settings.bypass,
            "input": configuration.input,
            "output": configuration.output,
            "figures": figures,
            "latency_history_ms": history,
            "command": configuration.commandLine.command(settings: settings, face: face, model: model),
            "faces": configuration.faces?.names ?? [],
            "models": configuration.models?.names ?? [],
            "ranges": Self.ranges,
        ]
        if let recording = monitor.recorder?.recording {
            var entry: [String: Any] = ["path": recording.path, "frames": recording.frames, "active": recording.active]
            if let error = recording.error { entry["error"] = error }
            state["recording"] = entry
        } else {
            state["recording"] = NSNull()
        }
        state["can_record"] = monitor.recorder != nil
        state["face"] = face.map { ($0 as NSString).lastPathComponent } ?? NSNull()
        state["model"] = model.map { ($0 as NSString).lastPathComponent } ?? NSNull()
        return state
    }

    /// The numeric settings' ranges, for the page's sliders.
    static let ranges: [String: [Double]] = {
        typealias S = LiveSwapSettings
        // Through the Float's shortest text, so 0.95 stays 0.95 rather than 0.949999988….
        func r(_ range: ClosedRange<Float>) -> [Double] { [Double("\(range.lowerBound)")!, Double("\(range.upperBound)")!] }
        func r(_ range: ClosedRange<Int>) -> [Double] { [Double(range.lowerBound), Double(range.upperBound)] }
        return ["erode": r(S.erodeRange), "blur": r(S.blurRange), "opacity": r(S.opacityRange),
                "relight": r(S.relightRange), "grain": r(S.grainRange),
                "temporal-smoothing": r(S.temporalSmoothingRange), "temporal-reset": r(S.temporalResetRange),
                "threshold": r(S.thresholdRange), "max-faces": r(S.maxFacesRange), "detect-every": r(S.detectEveryRange),
                "smooth-min-cutoff": r(S.smoothMinCutoffRange), "smooth-beta": r(S.smoothBetaRange)]
    }()

    /// `PATCH /api/settings`: any subset of the settings, plus `face` / `model` picked from their folders.
    private func patchSettings(_ request: Request) async throws -> Response {
        var request = request
        var object = try Self.object(try await request.collectBody(upTo: 1 << 20))
        let faceName = object.removeValue(forKey: "face"), modelName = object.removeValue(forKey: "model")
        // Validate everything before changing anything.
        _ = try control.settings.patched(with: object)
        var newFace: (swapper: any FaceSwapper, face: String?, model: String?)?
        if let faceName {
            let path = try pick(faceName, from: configuration.faces, field: "face", flag: "--faces-dir")
            newFace = (try build(.photo(path), field: "face"), path, nil)
        } else if let modelName {
            let path = try pick(modelName, from: configuration.models, field: "model", flag: "--models-dir")
            newFace = (try build(.model(path), field: "model"), nil, path)
        }
        let settings = try control.update { settings in
            let bypass = settings.bypass
            settings = try settings.patched(with: object)
            if object["bypass"] == nil { settings.bypass = bypass }
        }
        if let newFace {
            control.replaceSwapper(newFace.swapper)
            face.withLock { $0 = (newFace.face, newFace.model) }
        }
        return JSONResponse.ok(Self.adding(newFace?.swapper.advice ?? [], to: settings.jsonObject))
    }

    private func pick(_ value: Any, from picker: FolderPicker?, field: String, flag: String) throws -> String {
        guard let picker else { throw ControlError.badField(field: field, message: "no folder to pick from: start with \(flag)") }
        guard let name = value as? String, let path = picker.resolve(name) else {
            throw ControlError.badField(field: field, message: "not a file in \(flag) (\(picker.names.joined(separator: ", ")))")
        }
        return path
    }

    private func build(_ source: NewFaceSource, field: String) throws -> any FaceSwapper {
        do {
            return try makeSwapper(source)
        } catch {
            throw ControlError.badField(field: field, message: "\(error)")
        }
    }

    /// `POST /api/recording`: `{"record": true, "name": "take1.mp4"}` starts recording the output (a new file in
    /// the record folder; default name from the time), `{"record": false}` stops; an empty body toggles.
    private func record(_ object: [String: Any]) throws -> Response {
        guard let recorder = monitor.recorder else {
            throw ControlError.badField(field: "record", message: "this job writes no output to record")
        }
        let wanted: Bool
        if let value = object["record"] {
            guard let flag = value as? Bool else { throw ControlError.badField(field: "record", message: "expected true or false") }
            wanted = flag
        } else {
            wanted = !(recorder.recording?.active ?? false)
        }
        if wanted {
            let name = object["name"] as? String ?? "facelive-\(Self.timestamp()).mp4"
            let picker = FolderPicker(folder: configuration.recordDirectory, extensions: ["mp4", "mkv", "mov"])
            guard !name.contains("/"), !name.hasPrefix("."), picker.extensions.contains((name as NSString).pathExtension.lowercased())
            else { throw ControlError.badField(field: "name", message: "a file name ending in .mp4, .mkv or .mov") }
            let path = (picker.folder as NSString).appendingPathComponent(name)
            guard !FileManager.default.fileExists(atPath: path) else {
                throw ControlError.badField(field: "name", message: "\(name) exists already; recordings never overwrite")
            }
            recorder.startRecording(to: path)
            return JSONResponse.ok(["recording": true, "path": path])
        }
        recorder.stopRecording()
        return JSONResponse.ok(["recording": false, "path": (recorder.recording?.path).map { $0 as Any } ?? NSNull()])
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }

    /// `POST /api/face`: an image (≤ 20 MB) as the body; decoded by FFmpeg from a private temporary file.
    private func uploadFace(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: Self.maxUploadBytes)
        guard body.readableBytes > 0 else { throw ControlError.badField(field: "face", message: "empty upload: send the image as the body") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-control-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        // The image2 demuxer picks the decoder from the contents; the name only needs an image extension.
        let file = folder.appendingPathComponent("upload.png")
        try Data(body.readableBytesView).write(to: file)
        let swapper = try build(.photo(file.path), field: "face")
        control.replaceSwapper(swapper)
        let name = request.headers[HTTPField.Name("X-Filename")!] ?? "uploaded photo"
        face.withLock { $0 = (name, nil) }
        return JSONResponse.ok(Self.adding(swapper.advice, to: ["face": name]))
    }

    /// `answer` with a new face's advice as `warnings` (a list of sentences), when it has any.
    private static func adding(_ advice: [String], to answer: [String: Any]) -> [String: Any] {
        var answer = answer
        if !advice.isEmpty { answer["warnings"] = advice }
        return answer
    }

    /// Server-sent events: `figures` each second, `preview` (a picture number) up to 10 times a second when
    /// `view` is given. Ends when the server stops or the page goes away.
    private func streamEvents(view: LiveMonitor.View?, to writer: inout any ResponseBodyWriter) async throws {
        var lastPicture = -1
        var tick = 0
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            if let view {
                monitor.watch(view)
                let sequence = monitor.pictureSequence
                if sequence != lastPicture {
                    lastPicture = sequence
                    try await writer.write(ByteBuffer(string: "event: preview\ndata: \(sequence)\n\n"))
                }
            }
            if tick % 10 == 0 {
                let data = try JSONSerialization.data(withJSONObject: state(), options: [.sortedKeys])
                try await writer.write(ByteBuffer(string: "event: state\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
            }
            tick += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        try await writer.finish(nil)
    }

    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            throw ControlError.badRequest("the body must be a JSON object")
        }
        return object
    }

    static func resource(_ name: String, type: String) -> Response {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "panel"),
              let data = try? Data(contentsOf: url) else {
            return JSONResponse.error(.notFound, message: "\(name) is missing from the build")
        }
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
