import Foundation
import HTTPTypes
import Hummingbird

/// Who may use the panel: requests must name this server as their host (against DNS rebinding), carry the token
/// when one is set (header `X-Facelive-Token`, cookie `facelive_token`, or `?token=` which also sets the cookie),
/// and, when a browser says where they come from (`Origin`, `Sec-Fetch-Site`), come from the panel's own page —
/// so a web page the user happens to visit can neither change settings nor read frames.
struct ControlSecurity<Context: RequestContext>: RouterMiddleware {
    /// `host:port` names this server answers to (known once the socket is bound).
    let hostNames: @Sendable () -> Set<String>
    let token: String?

    static var tokenHeader: HTTPField.Name { HTTPField.Name("X-Facelive-Token")! }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let hosts = hostNames()
        guard let host = request.head.authority, hosts.contains(host.lowercased()) else {
            return Self.refusal(.forbidden, "unknown Host: open the panel at the address facelive printed")
        }
        if let origin = request.headers[.origin], !hosts.contains(where: { origin.lowercased() == "http://\($0)" }) {
            return Self.refusal(.forbidden, "requests from other sites are refused (Origin \(origin))")
        }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], !["same-origin", "none"].contains(site) {
            return Self.refusal(.forbidden, "requests from other sites are refused (Sec-Fetch-Site \(site))")
        }
        var setCookie = false
        if let token {
            let query = request.uri.queryParameters["token"].map(String.init)
            let given = request.headers[Self.tokenHeader] ?? request.cookies["facelive_token"]?.value ?? query
            guard let given, constantTimeEqual(given, token) else {
                return Self.refusal(.unauthorized, "missing or wrong token: send it as X-Facelive-Token or open the URL facelive printed")
            }
            setCookie = query != nil
        }
        var response = try await next(request, context)
        if setCookie, let token {
            response.setCookie(Cookie(name: "facelive_token", value: token, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        JSONResponse.error(status, message: message)
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// JSON responses of the API.
enum JSONResponse {
    static func ok(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, message: String, field: String? = nil) -> Response {
        var object: [String: Any] = ["error": message]
        if let field { object["field"] = field }
        return ok(object, status: status)
    }
}
