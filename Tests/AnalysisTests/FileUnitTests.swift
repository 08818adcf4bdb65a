@testable import Analysis
import ImageModel
import Testing

@Suite("Waste units: one per stored copy, packed")
struct FileUnitTests {
  @Test("a unit packs into 24 bytes; hidden-by and deleted survive the packing")
  func packing() {
    #expect(MemoryLayout<FileUnit>.stride == 24)
    let present = FileUnit(node: 3, version: -1, layer: 2, size: 10, hiddenBy: nil, deleted: false)
    #expect(present.hiddenBy == nil && !present.deleted && present.isPresent)
    for layer in [0, 1, 126] {
      let overwritten = FileUnit(node: 3, version: 0, layer: 0, size: 10, hiddenBy: layer, deleted: false)
      #expect(overwritten.hiddenBy == layer && !overwritten.deleted && !overwritten.isPresent)
      let deleted = FileUnit(node: 3, version: 0, layer: 0, size: 10, hiddenBy: layer, deleted: true)
      #expect(deleted.hiddenBy == layer && deleted.deleted && !deleted.isPresent)
    }
    #expect(present.layer == 2 && present.size == 10)
  }

  @Test("a content request, one per file compared, takes 40 bytes")
  func requestPacking() {
    #expect(MemoryLayout<ContentRequest>.stride == 40)
  }
}

@Suite("The largest of many sizes, without sorting them all")
struct SmallestOfLargestTests {
  @Test("the count-th largest equals the sorted answer, with ties, fewer sizes than asked, any order")
  func agreesWithSorting() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let sizes = (0..<Int.random(in: 1...300, using: &generator)).map { _ in
        Int64.random(in: 0...40, using: &generator)
      }
      for count in [1, 2, 5, 20, 500] {
        let sorted = sizes.sorted(by: >)
        #expect(ImageAnalysis.smallestOfLargest(sizes, count: count) == sorted[min(count, sorted.count) - 1])
      }
    }
    #expect(ImageAnalysis.smallestOfLargest(Array((0..<10_000).map(Int64.init)), count: 3) == 9_997)
  }
}
