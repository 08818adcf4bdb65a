import ImageModel
import Testing

@Suite("Bad-input corpus: never a crash, a trap or a hang; a clean error or a correct analysis")
struct BadInputTests {
  @Test func the_corpus_is_large_enough() {
    #expect(BadInputCorpus.all.count >= 200, "only \(BadInputCorpus.all.count) cases")
  }

  @Test(.timeLimit(.minutes(5)), arguments: BadInputCorpus.all)
  func each_case(_ input: BadInput) throws {
    try exercise(input)
  }
}
