import HTTPIO

extension RegistryClient {
  /// Bytes `start..<end` of the blob `digest` (of `size` bytes), by one HTTP Range request; nil
  /// when the registry does not answer with exactly them (a 200 with the whole blob, a 416, a
  /// `Content-Range` or length other than asked), so that a lazily listed layer is then
  /// downloaded whole instead. Other statuses throw as for any blob.
  func blobRange(_ digest: String, from start: Int64, to end: Int64, size: Int64) throws -> [UInt8]? {
    let response: HTTPResponse
    do {
      response = try get(blobPath(digest), headers: ["Range: bytes=\(start)-\(end - 1)"], limit: Int(end - start))
    } catch let error as ImageLoadError where error.kind == .tooLarge {
      return nil  // the whole blob, the Range ignored
    }
    if response.status == 200 && start == 0 && end == size { return response.body }
    guard response.status == 206 else {
      if response.status == 200 || response.status == 416 { return nil }
      throw statusError(response, what: "blob \(digest)")
    }
    guard response.header("content-range") == "bytes \(start)-\(end - 1)/\(size)",
      Int64(response.body.count) == end - start
    else { return nil }
    return response.body
  }
}
