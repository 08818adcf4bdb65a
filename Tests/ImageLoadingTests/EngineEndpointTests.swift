import Foundation
import HTTPIO
import TestSupport
import Testing

@testable import ImageLoading

/// Where strata looks for the Docker Engine and podman, as their own clients do.
@Suite("Finding the daemon's endpoint")
struct EngineEndpointTests {
  func candidates(_ engine: Engine, _ environment: [String: String]) throws -> [EngineLocation] {
    try EngineEndpoint.candidates(for: engine, environment: { environment[$0] }, displayName: "app:1")
  }

  @Test("DOCKER_HOST, then the default socket; unix:// and tcp://")
  func dockerHost() throws {
    #expect(
      try candidates(.docker, ["DOCKER_HOST": "unix:///run/d.sock"]).map(\.endpoint) == [
        HTTPEndpoint(unixSocket: "/run/d.sock")
      ])
    #expect(
      try candidates(.docker, ["DOCKER_HOST": "tcp://127.0.0.1:2375"]).first?.endpoint.baseURL
        == "http://127.0.0.1:2375")
    #expect(
      try candidates(.docker, ["HOME": "/nonexistent"]).map(\.endpoint) == [
        HTTPEndpoint(unixSocket: "/var/run/docker.sock")
      ])
    let error = #expect(throws: ImageLoadError.self) { try candidates(.docker, ["DOCKER_HOST": "ssh://me@host"]) }
    #expect(error?.problem.contains("unix:// or tcp://") == true)
  }

  @Test("the current docker context, found by its name in contexts/meta")
  func context() throws {
    try withTemporaryDirectory { directory in
      let config = directory.path
      try writeFile("\(config)/config.json", Array(#"{"currentContext":"remote"}"#.utf8))
      try writeFile(
        "\(config)/contexts/meta/0123abcd/meta.json",
        Array(#"{"Name":"remote","Endpoints":{"docker":{"Host":"unix:///srv/remote.sock"}}}"#.utf8))
      let found = try candidates(.docker, ["DOCKER_CONFIG": config])
      #expect(
        found == [
          EngineLocation(endpoint: HTTPEndpoint(unixSocket: "/srv/remote.sock"), origin: "docker context 'remote'")
        ])
      // DOCKER_CONTEXT wins over the config; `default` means the default socket.
      #expect(
        try candidates(.docker, ["DOCKER_CONFIG": config, "DOCKER_CONTEXT": "default"]).first?.origin
          == "the default socket")
      let error = #expect(throws: ImageLoadError.self) {
        try candidates(.docker, ["DOCKER_CONFIG": config, "DOCKER_CONTEXT": "missing"])
      }
      #expect(error?.kind == .noDaemon)
      #expect(error?.problem.contains("docker context use default") == true)
    }
  }

  @Test("podman: CONTAINER_HOST, else the user's runtime socket, then the system one")
  func podman() throws {
    #expect(
      try candidates(.podman, ["CONTAINER_HOST": "unix:///tmp/p.sock"]).map(\.endpoint) == [
        HTTPEndpoint(unixSocket: "/tmp/p.sock")
      ])
    #expect(
      try candidates(.podman, ["XDG_RUNTIME_DIR": "/run/user/1000"]).map(\.endpoint)
        == [
          HTTPEndpoint(unixSocket: "/run/user/1000/podman/podman.sock"),
          HTTPEndpoint(unixSocket: "/run/podman/podman.sock"),
        ])
  }
}
