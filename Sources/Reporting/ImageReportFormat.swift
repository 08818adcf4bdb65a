import Analysis
import JSONIO
import PackageDatabases

/// What a report of one image is made from: the analysis, and the waste findings and package
/// inventory when they were asked for.
package struct ImageReportContent {
  /// The analysed image.
  package var analysis: ImageAnalysis
  /// The waste findings (nil with `--no-waste`).
  package var waste: WasteReport?
  /// The package inventory (nil without `--packages`).
  package var packages: PackageInventory?

  /// Creates the content of a report.
  package init(_ analysis: ImageAnalysis, waste: WasteReport?, packages: PackageInventory?) {
    self.analysis = analysis
    self.waste = waste
    self.packages = packages
  }
}

/// A rendered report: text, or a JSON document that is written as it is serialised (the text
/// of a large report is never held whole).
package enum ReportDocument {
  /// Text (the text report, Markdown, CSV, HTML).
  case text(String)
  /// A JSON document.
  case json(JSONValue)
}

/// One format of `strata analyze`'s report. The command picks one by `--format`, configured
/// from its options, and renders the content through it; each format is one type below.
package protocol ImageReportFormat {
  /// The report of `content` in this format.
  func render(_ content: ImageReportContent) -> ReportDocument
}

/// The text report, then the package inventory when there is one.
package struct TextReportFormat: ImageReportFormat {
  /// How the text is laid out.
  package var options: TextReport.Options
  /// How many packages to list.
  package var packagesTop: Int

  /// Creates the format.
  package init(options: TextReport.Options, packagesTop: Int) {
    self.options = options
    self.packagesTop = packagesTop
  }

  package func render(_ content: ImageReportContent) -> ReportDocument {
    let packages = content.packages.map {
      "\n" + PackageText(exactBytes: options.exactBytes, style: options.style, top: packagesTop).inventory($0)
    }
    return .text(TextReport(options: options).render(content.analysis, waste: content.waste) + (packages ?? ""))
  }
}

/// The JSON report (docs/report-schema.md).
package struct JSONReportFormat: ImageReportFormat {
  /// How many largest files and directories to include.
  package var top: Int
  /// The version the report names.
  package var toolVersion: String

  /// Creates the format.
  package init(top: Int, toolVersion: String) {
    self.top = top
    self.toolVersion = toolVersion
  }

  package func render(_ content: ImageReportContent) -> ReportDocument {
    .json(
      JSONReport.build(
        content.analysis, waste: content.waste, packages: content.packages, top: top, toolVersion: toolVersion))
  }
}

/// The Markdown report, then the package inventory when there is one.
package struct MarkdownReportFormat: ImageReportFormat {
  /// Whether byte counts are exact (`1234567`) instead of rounded.
  package var exactBytes: Bool
  /// How many packages to list.
  package var packagesTop: Int

  /// Creates the format.
  package init(exactBytes: Bool, packagesTop: Int) {
    self.exactBytes = exactBytes
    self.packagesTop = packagesTop
  }

  package func render(_ content: ImageReportContent) -> ReportDocument {
    let packages = content.packages.map { "\n" + PackageMarkdown.render($0, exactBytes: exactBytes, top: packagesTop) }
    return .text(
      MarkdownReport.render(content.analysis, waste: content.waste, exactBytes: exactBytes) + (packages ?? ""))
  }
}

/// One CSV row per file.
package struct CSVReportFormat: ImageReportFormat {
  /// Creates the format.
  package init() {}

  package func render(_ content: ImageReportContent) -> ReportDocument { .text(CSVReport.render(content.analysis)) }
}

/// A self-contained HTML page with a treemap.
package struct HTMLReportFormat: ImageReportFormat {
  /// How many largest files and directories the page lists.
  package var top: Int
  /// The version the page names.
  package var toolVersion: String
  /// How finely the treemap keeps small entries.
  package var treemap: TreemapOptions

  /// Creates the format.
  package init(top: Int, toolVersion: String, treemap: TreemapOptions) {
    self.top = top
    self.toolVersion = toolVersion
    self.treemap = treemap
  }

  package func render(_ content: ImageReportContent) -> ReportDocument {
    let page = HTMLImage(
      content.analysis, waste: content.waste, top: top, toolVersion: toolVersion, treemap: treemap)
    return .text(HTMLReport.render([page]))
  }
}
