import ImageModel
import Testing

@Suite("Bad-input corpus: never a crash, a trap or a hang; a clean error or a correct analysis")
struct BadInputTests {
  @Test func the_corpus_is_large_enough() {
    #expect(BadInputCorpus.all.count >= 200, "only \(BadInputCorpus.all.count) cases")
    // Each family is made from committed fixtures; one that could not be read would leave its
    // cases out without a word.
    let names = BadInputCorpus.all.map(\.name)
    #expect(names.filter { $0.hasPrefix("truncated ") }.count >= 50)
    #expect(names.filter { $0.hasPrefix("gzip stream cut at ") }.count == 19)
    #expect(names.filter { $0.contains(" flip @") }.count >= 50)
  }

  @Test(.timeLimit(.minutes(5)), arguments: BadInputCorpus.all)
  func each_case(_ input: BadInput) throws {
    try exercise(input)
  }
}
