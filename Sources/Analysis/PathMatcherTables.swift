extension PathMatcher {
  /// One compiled pattern as plain values: what kind of test it is and where its bytes lie in
  /// `FlatTests`'s tables. Nothing in it is reference-counted, so taking one costs nothing.
  struct FlatTest: Sendable {
    enum Kind: UInt8, Sendable { case exact, under, nameIn, nameUnder, lastName, name, contains, glob }
    var kind: Kind
    /// The literal path, directory, name or run, as a range of the byte table.
    var literal: Range<Int32>
    /// The `*`-separated pieces of a name (`nameIn`, `nameUnder`, `name`), as a range of the
    /// piece table.
    var pieces: Range<Int32>
  }

  /// A matcher's tests flattened into three arrays of plain values.
  struct FlatTests: Sendable {
    private let tests: [FlatTest]
    private let bytes: [UInt8]
    private let pieces: [Range<Int32>]

    init(_ compiled: [Test]) {
      var tests: [FlatTest] = []
      var bytes: [UInt8] = []
      var pieces: [Range<Int32>] = []
      func add(_ literal: [UInt8]) -> Range<Int32> {
        let start = Int32(bytes.count)
        bytes += literal
        return start..<Int32(bytes.count)
      }
      func add(pieces list: [[UInt8]]) -> Range<Int32> {
        let start = Int32(pieces.count)
        for piece in list { pieces.append(add(piece)) }
        return start..<Int32(pieces.count)
      }
      for test in compiled {
        switch test {
        case .exact(let literal): tests.append(FlatTest(kind: .exact, literal: add(literal), pieces: 0..<0))
        case .under(let literal): tests.append(FlatTest(kind: .under, literal: add(literal), pieces: 0..<0))
        case .nameIn(let directory, let list):
          tests.append(FlatTest(kind: .nameIn, literal: add(directory), pieces: add(pieces: list)))
        case .nameUnder(let directory, let list):
          tests.append(FlatTest(kind: .nameUnder, literal: add(directory), pieces: add(pieces: list)))
        case .lastName(let name): tests.append(FlatTest(kind: .lastName, literal: add(name), pieces: 0..<0))
        case .name(let list): tests.append(FlatTest(kind: .name, literal: 0..<0, pieces: add(pieces: list)))
        case .contains(let run): tests.append(FlatTest(kind: .contains, literal: add(run), pieces: 0..<0))
        case .glob: tests.append(FlatTest(kind: .glob, literal: 0..<0, pieces: 0..<0))
        }
      }
      self.tests = tests
      self.bytes = bytes
      self.pieces = pieces
    }

    /// The three tables in place, for one match.
    struct Tables {
      let tests: UnsafeBufferPointer<FlatTest>
      let byteTable: UnsafeBufferPointer<UInt8>
      let pieces: UnsafeBufferPointer<Range<Int32>>

      /// The bytes of a range of the byte table.
      func bytes(_ range: Range<Int32>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: byteTable[Int(range.lowerBound)..<Int(range.upperBound)])
      }
    }

    /// Calls `body` with the tables in place.
    func withTables<Result>(_ body: (Tables) -> Result) -> Result {
      tests.withUnsafeBufferPointer { tests in
        bytes.withUnsafeBufferPointer { bytes in
          pieces.withUnsafeBufferPointer { pieces in body(Tables(tests: tests, byteTable: bytes, pieces: pieces)) }
        }
      }
    }
  }
}
