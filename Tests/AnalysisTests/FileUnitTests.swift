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
