/// The text inside an HTML report's `<script type="application/json" id="strata-data">` block,
/// or nil when the page has none (or it is not closed).
public func htmlDataBlock(of page: String) -> String? {
  let opening = #"<script type="application/json" id="strata-data">"#
  guard let start = page.firstRange(of: opening) else { return nil }
  let rest = page[start.upperBound...]
  guard let end = rest.firstRange(of: "</script>") else { return nil }
  return String(rest[..<end.lowerBound])
}
