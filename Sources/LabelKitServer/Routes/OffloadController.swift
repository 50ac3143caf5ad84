import Crypto
import Foundation
import Hummingbird
import LabelKitFormats
import Logging
import LabelKitJSON

/// The mask and geometry offload API (see ``OffloadEndpoint``):
///
/// - `POST /v1/rasterize`, `/v1/rle/encode|decode|convert`, `/v1/masks/measure`,
///   `/v1/vectorize`, `/v1/brush`, `/v1/hit-test`, `/v1/duplicate`: one job (the
///   command line's input document, its flags as fields or query parameters), or
///   a batch `{"jobs": [job, ...], <defaults>}` -> `{"results": [answer or
///   {"error": problem}, ...]}` in order
/// - `GET /v1/limits`, `GET /v1/metrics`
/// - `GET /openapi.json`: the OpenAPI 3.1 document of all of it
///
/// The work runs on a ``WorkPool`` (one thread per core by default); errors are
/// RFC 9457 problems; with a token configured every `/v1` route needs
/// `Authorization: Bearer <token>`.
struct OffloadController {
    /// The API's limits and pool size.
    let limits: OffloadLimits
    /// The credential every `/v1` route needs, if any.
    let token: BearerToken?
    /// Where failed jobs are logged.
    let logger: Logger

    /// Adds the routes (and creates the API's work pool).
    func addRoutes(to router: Router<ServiceRequestContext>) {
        let (limits, token, logger) = (self.limits, self.token, self.logger)
        let pool = WorkPool(name: "offload", threads: limits.threads, queueLimit: limits.queueLimit) {
            Problem.busy(queueLimit: limits.queueLimit)
        }
        let metrics = OffloadMetrics()
        // Resources/openapi.json, written by hand: the bodies are the command line's lenient
        // documents, read with the exact JSON reader of LabelKitFormats, so types generated from
        // it would add a second, stricter parser. OffloadRoutesTests.openAPI checks it against the
        // routes; schemathesis checks the answers against its schemas (`make schemathesis`).
        let openAPI = ByteBuffer(bytes: PackageResources.openapi_json)
        router.get("/openapi.json") { _, _ in
            Reply.bytes(openAPI, contentType: "application/json")
        }
        let v1 = router.group("/v1")
            .add(
                middleware: OffloadMiddleware<ServiceRequestContext>(token: token, metrics: metrics, logger: logger))
        v1.get("/limits") { _, _ in Reply.json(limits.json()) }
        v1.get("/metrics") { _, _ in Reply.json(metrics.json(pool: pool)) }
        for endpoint in OffloadEndpoint.allCases {
            v1.post(RouterPath(stringLiteral: endpoint.rawValue)) { request, context in
                try await Self.offload(endpoint, request: request, context: context, limits: limits, pool: pool)
            }
        }
        // Methods a route does not take are a 405 with Allow (ServiceMiddleware, Reply.problem).
    }

    /// Reads the body, runs the job or batch on the pool and builds the answer.
    static func offload(
        _ endpoint: OffloadEndpoint, request: Request, context: ServiceRequestContext, limits: OffloadLimits,
        pool: WorkPool
    ) async throws -> Response {
        let body: [UInt8]
        do {
            body = try await RequestBody.read(request, limit: limits.maxBodyBytes)
        } catch let error as ServiceError where error.status == 413 {
            throw Problem.limit(
                OffloadLimits.Name.bodyBytes, maximum: limits.maxBodyBytes,
                "the body is over the limit of \(limits.maxBodyBytes) bytes (body_bytes)")
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let preferPNG = Self.prefersPNG(request.headers[.accept])
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let isPNG = PNGBody.matches(body) || contentType.hasPrefix("image/png")
        let job = OffloadRequest(
            endpoint: endpoint, body: body, isPNG: isPNG, query: query, limits: limits, preferPNG: preferPNG)
        // One hop to the pool for a single job (parse and run); a batch comes back to
        // be spread over the threads.
        let first = try await pool.run { () throws -> Unchecked<Result<OffloadOutput, ParsedBatch>> in
            switch try job.parse().value {
            case .single(let value): return Unchecked(.success(try job.run(value)))
            case .batch(let jobs, let defaults): return Unchecked(.failure(ParsedBatch(jobs: jobs, defaults: defaults)))
            }
        }
        let answer: OffloadAnswer
        switch first.value {
        case .success(let output):
            answer = .single(output)
        case .failure(let batch):
            let jobs = batch.jobs, defaults = batch.defaults
            // Up to one chunk per thread, each run on the pool; answers stay in order.
            let chunkCount = max(1, min(pool.threads, jobs.count))
            let chunkSize = (jobs.count + chunkCount - 1) / max(1, chunkCount)
            var items = [String](repeating: "", count: jobs.count)
            var failed = 0
            try await withThrowingTaskGroup(of: (Int, [String], Int).self) { group in
                for start in stride(from: 0, to: jobs.count, by: max(1, chunkSize)) {
                    let end = min(jobs.count, start + chunkSize)
                    let chunk = Unchecked(Array(jobs[start..<end]))
                    group.addTask {
                        try await pool.run {
                            var out: [String] = []
                            var failed = 0
                            for (offset, value) in chunk.value.enumerated() {
                                do {
                                    out.append(try job.run(value, defaults: defaults.value).batchJSON)
                                } catch {
                                    failed += 1
                                    out.append("{\"error\":" + Problem.from(error).json(job: start + offset) + "}")
                                }
                            }
                            return (start, out, failed)
                        }
                    }
                }
                for try await (start, out, chunkFailed) in group {
                    items.replaceSubrange(start..<(start + out.count), with: out)
                    failed += chunkFailed
                }
            }
            answer = .batch("{\"results\":[" + items.joined(separator: ",") + "]}", jobs: jobs.count, failed: failed)
        }
        var response: Response
        switch answer {
        case .single(.json(let text)), .batch(let text, _, _):
            response = Reply.json(text)
        case .single(.png(let bytes)):
            var headers = HTTPFields()
            headers[.contentType] = "image/png"
            headers[.cacheControl] = "no-store"
            response = Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        if case .batch(_, let jobs, let failed) = answer {
            response.headers[OffloadMiddlewareHeader.jobs] = "\(jobs) \(failed)"
        }
        return response
    }

    /// True when `Accept` ranks `image/png` above JSON.
    static func prefersPNG(_ accept: String?) -> Bool {
        guard let accept else { return false }
        var png = 0.0, json = 0.0
        for part in accept.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = fields.first else { continue }
            var q = 1.0
            for parameter in fields.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            switch type {
            case "image/png": png = max(png, q)
            case "application/json", "application/*", "*/*": json = max(json, q)
            case "image/*": png = max(png, q)
            default: break
            }
        }
        return png > json
    }
}

/// A value handed across the pool boundary that the compiler cannot prove
/// `Sendable` (decoded JSON: read-only once parsed).
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// What a request holds once parsed.
enum ParsedOffload {
    case single(Unchecked<Any>)
    case batch([Unchecked<Any>], defaults: Unchecked<[String: Any]>)
}

/// A parsed batch on its way back from the pool (an `Error` only to ride in a `Result`).
struct ParsedBatch: Error, @unchecked Sendable {
    let jobs: [Unchecked<Any>]
    let defaults: Unchecked<[String: Any]>
}

/// A request's answer before it becomes a response.
enum OffloadAnswer {
    case single(OffloadOutput)
    case batch(String, jobs: Int, failed: Int)
}

/// One request to an offload endpoint, everything needed to parse and run it off
/// the event loop.
struct OffloadRequest: Sendable {
    let endpoint: OffloadEndpoint
    let body: [UInt8]
    let isPNG: Bool
    let query: [String: String]
    let limits: OffloadLimits
    let preferPNG: Bool

    /// The parsed body: one job or a batch.
    func parse() throws -> Unchecked<ParsedOffload> {
        try endpoint.checkQuery(query)
        if isPNG {
            guard endpoint.takesPNG else {
                throw Problem(
                    kind: .unsupportedMediaType, status: 415, detail: "\(endpoint.path) takes JSON, not a PNG body")
            }
            return Unchecked(.single(Unchecked(PNGBody(bytes: body))))
        }
        let root = try ExactJSON.parse(Data(body))
        if let object = root as? [String: Any], let jobs = object["jobs"] {
            guard let list = jobs as? [Any] else { throw Problem.invalid("\"jobs\" must be a list of jobs") }
            try limits.check(list.count, OffloadLimits.Name.jobs, "jobs in the batch")
            var defaults = object
            defaults["jobs"] = nil
            // A batch-level labeling config is parsed once here, not once per job.
            if defaults["config"] != nil {
                defaults["config"] = try JobOptions(objects: [defaults], query: [:]).labelingConfig(limits)
            }
            return Unchecked(.batch(list.map { Unchecked($0) }, defaults: Unchecked(defaults)))
        }
        return Unchecked(.single(Unchecked(root)))
    }

    /// Runs one job; `defaults` are the batch's fields.
    func run(_ value: Unchecked<Any>, defaults: [String: Any]? = nil) throws -> OffloadOutput {
        var objects: [[String: Any]] = []
        if let object = value.value as? [String: Any] { objects.append(object) }
        if let defaults { objects.append(defaults) }
        let options = JobOptions(objects: objects, query: query)
        return try endpoint.run(value.value, options: options, limits: limits, preferPNG: preferPNG && defaults == nil)
    }
}

/// The `/v1` group's middleware: bearer-token check (constant time) and metrics.
struct OffloadMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The credential, or nil for no authentication.
    let token: BearerToken?
    let metrics: OffloadMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let route = request.uri.path
        do {
            try authenticate(request)
            let response = try await next(request, context)
            var jobs = 1, failed = 0
            if let header = response.headers[OffloadMiddlewareHeader.jobs] {
                let parts = header.split(separator: " ").compactMap { Int($0) }
                if parts.count == 2 { (jobs, failed) = (parts[0], parts[1]) }
            }
            metrics.record(
                route: route, status: Int(response.status.code), ms: Self.ms(since: start), jobs: jobs,
                failedJobs: failed, logger: logger)
            return response
        } catch {
            metrics.record(
                route: route, status: Problem.from(error).status, ms: Self.ms(since: start), failedJobs: 1,
                logger: logger)
            throw error
        }
    }

    /// Throws a 401 problem unless the request carries the token.
    func authenticate(_ request: Request) throws {
        if let detail = token?.problem(with: request) { throw Problem(kind: .unauthorized, status: 401, detail: detail) }
    }

    static func ms(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}

/// Pieces of ``OffloadMiddleware`` that do not depend on its context type.
enum OffloadMiddlewareHeader {
    /// `X-LabelKit-Jobs: <jobs> <failed>` on batch answers (read for metrics).
    static let jobs = HTTPFields.Element.Name("X-LabelKit-Jobs")!
}
