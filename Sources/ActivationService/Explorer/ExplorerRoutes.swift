import HTTPServer

/// The explorer page: `GET /` and the three files it loads (`/explorer.css`, `/explorer.js`,
/// `/favicon.svg`), served from the binary (``ExplorerAssets``, generated from explorer/ by
/// scripts/embed-explorer.py).
///
/// The page holds no script or style inline, so it runs under `ContentSecurityPolicy.page`
/// unchanged. The four paths are open when API keys are in force (``AccessControl``): a
/// browser navigating to `/` cannot send `Authorization`, and the files hold nothing but the
/// page's code. The page's own calls (`GET /v1/functions`, `POST /v1/activate`) still need a
/// key: the page asks for one when the service answers 401 and keeps it for the tab only.
struct ExplorerRoutes: Sendable {
    /// One file of the page: its path, media type and bytes.
    struct Asset: Sendable {
        let path: String
        let contentType: String
        let body: [UInt8]
    }

    /// The page and its files, in the order the route table adds them.
    static let assets: [Asset] = [
        Asset(path: "/", contentType: "text/html; charset=utf-8", body: Array(ExplorerAssets.page.utf8)),
        Asset(path: "/explorer.css", contentType: "text/css; charset=utf-8", body: Array(ExplorerAssets.styles.utf8)),
        Asset(path: "/explorer.js", contentType: "text/javascript; charset=utf-8", body: Array(ExplorerAssets.script.utf8)),
        Asset(path: "/favicon.svg", contentType: "image/svg+xml", body: Array(ExplorerAssets.favicon.utf8)),
    ]

    /// The paths answered without an API key.
    static let openPaths: Set<String> = Set(assets.map(\.path))

    /// The asset's answer; fixed for the life of the process (`max-age=300`).
    static func response(_ asset: Asset) -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", asset.contentType)]), body: asset.body)
            .fixedForProcess()
    }
}
