import HTTPServer

/// The explorer page: `GET /`, `/favicon.svg`, and the style sheet and JavaScript modules it
/// loads under `/explorer/` (`/explorer/explorer.css`, `/explorer/main.js`, ...), served from the
/// binary (``ExplorerAssets``, every file of explorer/, embedded by scripts/embed-explorer.py).
///
/// The page holds no script or style inline, so it runs under `ContentSecurityPolicy.page`
/// unchanged. These paths are open when API keys are in force (``AccessControl``): a browser
/// navigating to `/` cannot send `Authorization`, and the files hold nothing but the page's
/// code. The page's own calls (`GET /v1/functions`, `POST /v1/activate`) still need a key: the
/// page asks for one when the service answers 401 and keeps it for the tab only.
struct ExplorerRoutes: Sendable {
    /// One file of the page: its path, media type and bytes.
    struct Asset: Sendable {
        let path: String
        let contentType: String
        let body: [UInt8]
    }

    /// The page and its files, in the order the route table adds them: `index.html` is `/`,
    /// `favicon.svg` is where browsers look for it, the rest are under `/explorer/`.
    static let assets: [Asset] = ExplorerAssets.files.map { file in
        let path = switch file.name {
        case "index.html": "/"
        case "favicon.svg": "/favicon.svg"
        default: "/explorer/" + file.name
        }
        return Asset(path: path, contentType: contentType(of: file.name), body: Array(file.text.utf8))
    }

    /// The media type of a file of the page, by its extension.
    static func contentType(of name: String) -> String {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if name.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/octet-stream"
    }

    /// The paths answered without an API key.
    static let openPaths: Set<String> = Set(assets.map(\.path))

    /// The asset's answer; fixed for the life of the process (`max-age=300`).
    static func response(_ asset: Asset) -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", asset.contentType)]), body: asset.body)
            .fixedForProcess()
    }
}
