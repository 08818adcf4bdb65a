import Analysis
import ImageLoading

let path = CommandLine.arguments[1]
do {
  let image = try ImageLoader.load(path)
  let a = Analyzer.analyze(image)
  print(a.image.format, a.image.tags, a.layers.count, a.dive.efficiency, a.dive.wastedBytes, a.dive.userWastedFraction ?? -1, a.dive.sizeBytes)
  for l in a.layers { print(l.descriptor.index, l.sizeBytes, l.entries, l.compression, l.descriptor.command ?? "-") }
  print("files", a.fileCount, "bytes", a.finalBytes, "read", a.image.bytesRead, "of", a.image.archiveBytes ?? -1)
  for an in a.anomalies { print("anomaly:", an.message) }
} catch {
  print("strata: \(error)")
}
