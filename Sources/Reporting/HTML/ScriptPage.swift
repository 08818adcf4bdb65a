/// The report script, part 3: the page — summary figures, treemap and findings side by side,
/// the layer chart, the largest paths, and the comparison of several images.
enum ScriptPage {
  static let source = #"""

    // ---- The page ----

    function labelOf(report) { return (report.image.tags && report.image.tags[0]) || report.image.source; }

    function figure(label, field, value, text, sub) {
      return el('div', { class: 'card' }, el('div', { class: 'label' }, label),
        el('div', { class: 'value', 'data-field': field, 'data-value': value }, text),
        sub ? el('div', { class: 'sub' }, sub) : null);
    }

    function summary(report) {
      const s = report.summary, d = report.dive, w = report.waste, image = report.image;
      const cards = el('div', { class: 'cards' });
      cards.appendChild(figure('Image (all layers)', 'summary.sizeBytes', s.sizeBytes, human(s.sizeBytes), plural(s.layerCount, 'layer', 'layers')));
      cards.appendChild(figure('Filesystem', 'summary.finalBytes', s.finalBytes, human(s.finalBytes),
        plural(s.fileCount, 'file', 'files') + ', ' + plural(s.directoryCount, 'directory', 'directories')));
      if (w) {
        cards.appendChild(figure('Reclaimable (strata)', 'waste.reclaimableBytes', w.reclaimableBytes, human(w.reclaimableBytes),
          (w.reclaimableFraction === null ? 'n/a' : fixed(w.reclaimableFraction * 100, 4) + ' %') + ' of the image; review ' + human(w.reviewBytes)));
      }
      cards.appendChild(figure('Efficiency (dive)', 'dive.efficiency', d.efficiency, percent(d.efficiency),
        'wasted ' + human(d.wastedBytes) + ' by dive\u2019s definition'));
      if (s.pullBytes !== null) {
        cards.appendChild(figure('Pull', 'summary.pullBytes', s.pullBytes, human(s.pullBytes),
          'to download: config and layers, from ' + (s.pullBytesSource === 'registry' ? 'the registry' : 'the manifest\u2019s compressed layers')));
      }
      if (image.archiveBytes !== null) {
        cards.appendChild(figure('Archive', 'image.archiveBytes', image.archiveBytes, human(image.archiveBytes), human(image.bytesRead) + ' read'));
      }
      return cards;
    }

    function findingItem(finding, commands) {
      let figures = human(finding.bytes) + ' in ' + plural(finding.fileCount, 'file', 'files') + ' \u00b7 ' + plural(finding.layers.length, 'layer', 'layers');
      figures += ' \u00b7 ' + finding.tier + (finding.tier === 'review' ? ' (not in reclaimable)' : '');
      const layers = el('ul', { class: 'layers' });
      for (const line of finding.layers) {
        layers.appendChild(el('li', { class: 'muted' }, human(line.bytes) + '\u2002layer ' + line.layer + ': ', el('code', null, cut(commands[line.layer] || '(no history)', 240)),
          line.hiddenBy === null ? null : el('span', null, ' \u2192 hidden by layer ' + line.hiddenBy + ': ', el('code', null, cut(commands[line.hiddenBy] || '(no history)', 240)))));
      }
      const paths = el('ul', null);
      for (const path of finding.paths) {
        paths.appendChild(el('li', null, human(path.bytes) + '\u2002' + path.path, el('span', { class: 'detail' }, ' (L' + path.layer + (path.detail ? ', ' + path.detail : '') + ')')));
      }
      if (finding.fileCount > finding.paths.length) paths.appendChild(el('li', { class: 'detail' }, '\u2026 ' + grouped(finding.fileCount - finding.paths.length) + ' more'));
      return el('div', { class: 'finding', 'data-category': finding.category, 'data-tier': finding.tier, 'data-bytes': finding.bytes },
        el('details', null,
          el('summary', null, el('span', { class: 'sev sev-' + finding.severity }, finding.severity), el('span', { class: 'title' }, finding.title),
            el('div', { class: 'figures' }, figures)),
          layers,
          paths,
          finding.note ? el('div', { class: 'muted' }, 'note: ' + finding.note) : null),
        el('p', { class: 'fix' }, el('b', null, 'fix\u2002'), finding.fixes.join(' ')));
    }

    function findings(report, commands) {
      const panel = el('aside', { class: 'findings-panel', 'aria-label': 'Waste findings' });
      const w = report.waste;
      if (!w) {
        panel.appendChild(el('h3', null, 'Waste'));
        panel.appendChild(el('p', { class: 'muted' }, 'The waste analysis was skipped (--no-waste).'));
        return panel;
      }
      panel.appendChild(el('div', { class: 'findings-head' },
        el('h3', null, 'Waste: ', el('span', { 'data-field': 'waste.reclaimableBytes', 'data-value': w.reclaimableBytes }, human(w.reclaimableBytes)), ' reclaimable'),
        el('div', { class: 'muted' }, (w.reclaimableFraction === null ? 'n/a' : fixed(w.reclaimableFraction * 100, 4) + ' %') +
          ' of the image, each byte counted once; ' + plural(w.findings.length, 'finding', 'findings'))));
      if (!w.findings.length) panel.appendChild(el('p', null, 'No findings.'));
      for (const finding of w.findings) panel.appendChild(findingItem(finding, commands));
      for (const note of w.notes) panel.appendChild(el('p', { class: 'muted' }, 'note: ' + note));
      return panel;
    }

    function layerTable(report, commands) {
      const change = (l) => l.added.bytes + l.changed.bytes + l.removed.bytes;
      const most = Math.max(1, ...report.layers.map(change));
      const body = el('tbody', null);
      report.layers.forEach((layer, i) => {
        const bar = el('div', { class: 'bar', title: 'added ' + human(layer.added.bytes) + ', changed ' + human(layer.changed.bytes) + ', removed ' + human(layer.removed.bytes) });
        for (const kind of ['added', 'changed', 'removed']) {
          const width = (100 * layer[kind].bytes) / most;
          if (width > 0) bar.appendChild(el('span', { class: kind, style: 'width:' + width.toFixed(3) + '%' }));
        }
        const command = commands[i] || '(no history)';
        body.appendChild(el('tr', { 'data-layer': i },
          el('td', { class: 'num' }, el('i', { class: 'swatch', style: 'background:' + layerColour(i) }), '\u2002' + i),
          el('td', { class: 'num', 'data-value': layer.sizeBytes }, human(layer.sizeBytes)),
          el('td', null, bar),
          el('td', { class: 'num', 'data-value': layer.added.bytes }, human(layer.added.bytes) + ' \u00b7 ' + grouped(layer.added.files)),
          el('td', { class: 'num', 'data-value': layer.changed.bytes }, human(layer.changed.bytes) + ' \u00b7 ' + grouped(layer.changed.files)),
          el('td', { class: 'num', 'data-value': layer.removed.bytes }, human(layer.removed.bytes) + ' \u00b7 ' + grouped(layer.removed.files)),
          el('td', { class: 'command', title: command }, el('code', null, command))));
      });
      const head = el('tr', null, el('th', { class: 'num' }, '#'), el('th', { class: 'num' }, 'size'), el('th', null, 'added / changed / removed'),
        el('th', { class: 'num' }, '+ added'), el('th', { class: 'num' }, '~ changed'), el('th', { class: 'num' }, '\u2212 removed'), el('th', null, 'command'));
      return el('div', null, el('h2', null, 'Layers'),
        el('p', { class: 'muted' }, 'Bytes and files each layer added, wrote again, and removed (whiteouts), bottom layer first.'),
        el('table', { class: 'layers' }, el('thead', null, head), body));
    }

    function largest(title, items, directories) {
      const body = el('tbody', null);
      for (const item of items.slice(0, 10)) {
        body.appendChild(el('tr', null, el('td', { class: 'num' }, human(item.bytes)),
          el('td', { class: 'num muted' }, directories ? plural(item.files, 'file', 'files') : 'L' + item.layer),
          el('td', { class: 'mono' }, item.path + (directories ? '/' : ''))));
      }
      return el('div', null, el('h3', null, title), el('table', null, body));
    }

    function imageSection(image, index, maps) {
      const report = image.report, commands = image.view.commands, meta = report.image;
      const section = el('section', { class: 'image', id: 'image-' + index });
      section.appendChild(el('h1', null, labelOf(report)));
      const platform = [meta.os, meta.architecture].filter((part) => part).join('/');
      section.appendChild(el('div', { class: 'meta' }, [meta.format, platform, meta.source].filter((part) => part).join(' \u00b7 ')));
      section.appendChild(summary(report));
      const mapPanel = el('div', { class: 'map-panel' });
      const side = findings(report, commands);
      section.appendChild(el('div', { class: 'map-and-findings' }, mapPanel, side));
      maps.push(Treemap(mapPanel, image, side));
      section.appendChild(layerTable(report, commands));
      section.appendChild(el('div', { class: 'pair' }, largest('Largest directories', report.largestDirectories, true),
        largest('Largest files', report.largestFiles, false)));
      if (report.anomalies.length) {
        const list = el('ul', null);
        for (const anomaly of report.anomalies) list.appendChild(el('li', null, (anomaly.layer === null ? '' : 'layer ' + anomaly.layer + ': ') + anomaly.message));
        const more = image.view.omitted.anomalies || 0;
        if (more) list.appendChild(el('li', { class: 'muted' }, '\u2026 and ' + grouped(more) + ' more (see --format json)'));
        section.appendChild(el('details', null, el('summary', null, plural(report.anomalies.length + more, 'warning', 'warnings')), list));
      }
      return section;
    }

    function comparison(data) {
      const reports = data.images.map((image) => image.report);
      const rows = [
        ['Image (all layers)', (r) => human(r.summary.sizeBytes)], ['Layers', (r) => grouped(r.summary.layerCount)],
        ['Filesystem', (r) => human(r.summary.finalBytes)], ['Files', (r) => grouped(r.summary.fileCount)],
        ['Reclaimable (strata)', (r) => (r.waste ? human(r.waste.reclaimableBytes) : 'n/a')],
        ['Efficiency (dive)', (r) => percent(r.dive.efficiency)], ['Wasted (dive)', (r) => human(r.dive.wastedBytes)]];
      const head = el('tr', null, el('th', null, ''));
      reports.forEach((r, i) => head.appendChild(el('th', { class: 'num' }, el('a', { href: '#image-' + i }, labelOf(r)))));
      const body = el('tbody', null);
      for (const [label, value] of rows) {
        const row = el('tr', null, el('th', null, label));
        for (const r of reports) row.appendChild(el('td', { class: 'num' }, value(r)));
        body.appendChild(row);
      }
      const section = el('section', { class: 'comparison' }, el('h1', null, 'Comparison of ' + plural(reports.length, 'image', 'images')),
        el('table', { class: 'compare' }, el('thead', null, head), body));
      const shared = data.comparison && Array.isArray(data.comparison.sharedLayers) ? data.comparison.sharedLayers : null;
      if (shared) {
        const list = el('tbody', null);
        for (const layer of shared) {
          list.appendChild(el('tr', null, el('td', { class: 'mono' }, cut(String(layer.diffID || ''), 19)), el('td', { class: 'num' }, human(layer.bytes || 0)),
            el('td', null, (layer.images || []).map((i) => (reports[i] ? labelOf(reports[i]) : String(i))).join(', ')),
            el('td', null, el('code', null, layer.command || ''))));
        }
        section.appendChild(el('h2', null, 'Shared layers'));
        section.appendChild(el('table', { class: 'shared' }, el('thead', null, el('tr', null, el('th', null, 'diff ID'), el('th', { class: 'num' }, 'size'),
          el('th', null, 'in'), el('th', null, 'command'))), list));
      }
      return section;
    }

    function showError(message) {
      const box = document.getElementById('strata-errors');
      if (!box) return;
      box.hidden = false;
      box.textContent += 'The report could not be drawn: ' + message + '\n';
    }

    function main() {
      const data = JSON.parse(document.getElementById('strata-data').textContent);
      const app = document.getElementById('strata-app');
      const maps = [];
      if (data.images.length > 1) app.appendChild(comparison(data));
      data.images.forEach((image, index) => app.appendChild(imageSection(image, index, maps)));
      const tool = data.images.length ? data.images[0].report.tool : { name: 'strata', version: '' };
      let note = ' \u00b7 area is bytes of the final filesystem; in each directory, entries smaller than ';
      note += data.images.map((image) => human(image.view.treemap.minBytes)).join(' / ') + ' are drawn as one rectangle';
      app.appendChild(el('footer', null, tool.name + ' ' + tool.version + note));
      for (const map of maps) map.draw();
      let timer = 0;
      window.addEventListener('resize', () => { clearTimeout(timer); timer = setTimeout(() => { for (const map of maps) map.draw(); }, 120); });
      document.documentElement.setAttribute('data-strata-ready', 'true');
    }

    window.addEventListener('error', (event) => showError(event.message));
    if (document.getElementById('strata-data')) {
      try { main(); } catch (error) { showError(String(error && error.stack || error)); }
    }

    """#
}
