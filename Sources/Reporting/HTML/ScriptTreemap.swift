/// The report script, part 2: the treemap of one image — nested rectangles in SVG, coloured by
/// layer or by waste category, zoom by click, breadcrumbs, tooltip, legend.
enum ScriptTreemap {
  static let source = #"""

    // ---- The tree, from the data block's compact arrays ----

    /** file [name, bytes, layer, waste]; directory [name, bytes, files, [children]]; aggregate [null, bytes, files, layer, waste] */
    function inflate(raw, parent, categories) {
      if (raw[0] === null) {
        return { kind: 'agg', name: '', bytes: raw[1], files: raw[2], layer: raw[3], waste: categories[raw[4]] || null, parent: parent };
      }
      if (Array.isArray(raw[3])) {
        const node = { kind: 'dir', name: raw[0], bytes: raw[1], files: raw[2], layer: -1, waste: null, parent: parent, children: [] };
        for (const child of raw[3]) node.children.push(inflate(child, node, categories));
        return node;
      }
      return { kind: 'file', name: raw[0], bytes: raw[1], files: 1, layer: raw[2], waste: categories[raw[3]] || null, parent: parent };
    }

    /** `/a/b` for a node (an aggregate stands for its directory). */
    function pathOf(node) {
      const parts = [];
      for (let n = node.kind === 'agg' ? node.parent : node; n && n.parent; n = n.parent) parts.push(n.name);
      return '/' + parts.reverse().join('/');
    }

    /** The layer (or waste category) holding most bytes under a directory. */
    function dominant(node, mode) {
      const key = mode === 'layer' ? 'layer' : 'waste';
      if (node.kind !== 'dir') return node[key];
      node.dominant = node.dominant || {};
      if (Object.prototype.hasOwnProperty.call(node.dominant, mode)) return node.dominant[mode];
      const totals = new Map();
      const stack = [node];
      while (stack.length) {
        const n = stack.pop();
        if (n.kind === 'dir') { for (const child of n.children) stack.push(child); continue; }
        if (n.bytes > 0) totals.set(n[key], (totals.get(n[key]) || 0) + n.bytes);
      }
      let best = mode === 'layer' ? -1 : null, most = -1;
      for (const [value, bytes] of totals) if (bytes > most) { best = value; most = bytes; }
      node.dominant[mode] = best;
      return best;
    }

    function cut(text, limit) { return text.length > limit ? text.slice(0, limit - 1) + '…' : text; }

    const FONT = '11px system-ui, sans-serif';
    const FONT_BOLD = '650 11px system-ui, sans-serif';
    const HEADER = 16;

    // ---- One treemap ----

    function Treemap(host, image, companion) {
      const report = image.report, view = image.view;
      const categories = view.treemap.categories, titles = view.categoryTitles, colours = view.categoryColours || {}, commands = view.commands;
      const root = inflate(view.treemap.root, null, categories);
      const elements = new WeakMap();
      let current = root, mode = report.waste && /(^#|&)colour=waste(&|$)/.test(window.location.hash) ? 'waste' : 'layer';

      const crumbs = el('nav', { class: 'crumbs', 'aria-label': 'Directory shown' });
      const byLayer = el('button', { type: 'button', 'data-mode': 'layer' }, 'Colour by layer');
      const byWaste = el('button', { type: 'button', 'data-mode': 'waste', disabled: report.waste ? null : 'disabled',
        title: report.waste ? null : 'the waste analysis was skipped' }, 'by waste');
      const toolbar = el('div', { class: 'toolbar' }, crumbs, el('div', { class: 'modes', role: 'group', 'aria-label': 'Colour' }, byLayer, byWaste));
      const map = svg('svg', { class: 'treemap', role: 'img', tabindex: '0',
        'aria-label': 'Treemap of the merged filesystem: area is bytes; click a directory to open it, Escape to go up' });
      const legend = el('div', { class: 'legend' });
      const tip = el('div', { class: 'tooltip', hidden: 'hidden', role: 'tooltip' });
      host.appendChild(toolbar); host.appendChild(map); host.appendChild(legend);
      document.body.appendChild(tip);

      function colourOf(node) {
        return mode === 'layer' ? layerColour(dominant(node, 'layer')) : wasteColour(dominant(node, 'waste'), categories, colours);
      }

      function box(tag, r, attributes) {
        attributes.x = r.x.toFixed(1); attributes.y = r.y.toFixed(1);
        attributes.width = Math.max(0, r.w).toFixed(1); attributes.height = Math.max(0, r.h).toFixed(1);
        return svg(tag, attributes);
      }

      function layout(dir, x, y, w, h, depth) {
        const kids = dir.children.filter((child) => child.bytes > 0);
        const rects = squarify(kids.map((child) => child.bytes), x, y, w, h);
        for (let i = 0; i < kids.length; i++) {
          const r = rects[i];
          if (r.w * r.h < 1) continue;
          if (kids[i].kind === 'dir') directory(kids[i], r, depth); else leaf(kids[i], r, depth);
        }
      }

      /** A directory whose bytes all sit in one subdirectory is drawn as one frame, `a/b/c/`. */
      function chain(node) {
        let end = node, title = node.name + '/';
        for (;;) {
          const kids = end.children.filter((child) => child.bytes > 0);
          if (kids.length !== 1 || kids[0].kind !== 'dir') return { end: end, title: title };
          end = kids[0];
          title += end.name + '/';
        }
      }

      /** The chain's title in `width`, whole or as its first and last names; '' when neither fits. */
      function shorten(node, end, title, width) {
        measure.font = FONT_BOLD;
        if (measure.measureText(title).width <= width) return title;
        const ends = node.name + '/\u2026/' + end.name + '/';
        return end.parent !== node && end !== node && measure.measureText(ends).width <= width ? ends : '';
      }

      function directory(node, r, depth) {
        const open = r.w >= 30 && r.h >= 30;
        const { end, title } = chain(node);
        const frame = box('rect', r, { class: 'dir', fill: open ? (depth % 2 ? '#2b303b' : '#3b4250') : colourOf(node),
          'data-kind': 'dir', 'data-depth': depth, 'data-name': node.name, 'data-bytes': node.bytes });
        elements.set(frame, end);
        map.appendChild(frame);
        if (!open) return;
        // The name and size; else the name alone; else the name cut (with the size when there is room).
        const size = human(node.bytes);
        measure.font = FONT;
        const room = r.w - 8, sizeRoom = room - measure.measureText(size).width - 6;
        let name = shorten(node, end, title, sizeRoom), sized = true;
        if (!name) { name = shorten(node, end, title, room); sized = false; }
        if (!name) { name = fit(title, sizeRoom, FONT_BOLD); sized = true; }
        if (!name) { name = fit(title, room, FONT_BOLD); sized = false; }
        const label = svg('text', { class: 'head', x: (r.x + 4).toFixed(1), y: (r.y + 12).toFixed(1) }, svg('tspan', null, name));
        if (sized) label.appendChild(svg('tspan', { dx: 6, 'font-weight': 400, 'fill-opacity': 0.75 }, size));
        map.appendChild(label);
        layout(end, r.x + 2, r.y + HEADER, r.w - 4, r.h - HEADER - 2, depth + 1);
      }

      function leaf(node, r, depth) {
        const fill = colourOf(node);
        const rect = box('rect', r, { class: node.kind === 'agg' ? 'agg' : 'leaf', fill: fill, 'data-kind': node.kind,
          'data-depth': depth, 'data-name': node.name, 'data-bytes': node.bytes, 'data-layer': node.layer,
          'data-waste': node.waste || '' });
        elements.set(rect, node);
        map.appendChild(rect);
        if (r.w < 40 || r.h < 15) return;
        const title = node.kind === 'agg' ? plural(node.files, 'small file', 'small files') : node.name;
        const shown = fit(title, r.w - 6, FONT);
        if (!shown) return;
        const text = svg('text', { x: (r.x + 3).toFixed(1), y: (r.y + 12).toFixed(1), fill: inkOn(fill),
          'font-style': node.kind === 'agg' ? 'italic' : null }, shown);
        if (r.h >= 28) {
          text.appendChild(svg('tspan', { x: (r.x + 3).toFixed(1), dy: 13, 'fill-opacity': 0.8 }, fit(human(node.bytes), r.w - 6, FONT)));
        }
        map.appendChild(text);
      }

      function height() { return Math.round(Math.min(720, Math.max(380, window.innerHeight - 330))); }

      function draw() {
        hideTip();
        clear(map);
        const w = Math.max(240, Math.floor(host.clientWidth || 800)), h = height();
        map.setAttribute('width', w); map.setAttribute('height', h); map.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
        layout(current, 0, 0, w, h, 1);
        drawCrumbs(); drawLegend();
        byLayer.setAttribute('aria-pressed', String(mode === 'layer'));
        byWaste.setAttribute('aria-pressed', String(mode === 'waste'));
        if (companion) companion.style.maxHeight = Math.max(h + 70, host.offsetHeight) + 'px';
      }

      function zoom(node) { current = node; draw(); }

      function drawCrumbs() {
        clear(crumbs);
        const chain = [];
        for (let n = current; n; n = n.parent) chain.unshift(n);
        chain.forEach((node, i) => {
          if (i > 0) crumbs.appendChild(el('span', { class: 'sep' }, '›'));
          const last = i === chain.length - 1;
          const button = el('button', { type: 'button', 'aria-current': last ? 'location' : null }, i === 0 ? '/' : node.name);
          if (!last) button.addEventListener('click', () => zoom(node));
          crumbs.appendChild(button);
        });
        crumbs.appendChild(el('span', { class: 'muted' }, '\u00a0' + human(current.bytes) + ' in ' + plural(current.files, 'file', 'files')));
      }

      function swatch(colour) { return el('i', { class: 'swatch', style: 'background:' + colour }); }

      function drawLegend() {
        clear(legend);
        if (mode === 'layer') {
          legend.appendChild(el('span', null, 'Colour: the layer that gave the file.'));
          report.layers.forEach((layer, i) => {
            if (layer.survivingBytes > 0) legend.appendChild(el('span', { title: commands[i] || '' }, swatch(layerColour(i)), 'L' + i));
          });
          return;
        }
        legend.appendChild(el('span', null, 'Colour: the finding that holds the file, or else an earlier copy of it.'));
        const totals = (report.waste && report.waste.bytesByCategory) || {};
        for (const category of categories) {
          const bytes = Object.prototype.hasOwnProperty.call(totals, category) ? ' ' + human(totals[category]) : '';
          legend.appendChild(el('span', null, swatch(wasteColour(category, categories, colours)), (titles[category] || category) + bytes));
        }
        legend.appendChild(el('span', null, swatch(NO_WASTE), 'no finding'));
        legend.appendChild(el('span', null, 'Deleted copies are not in the final filesystem: their bytes are in the findings.'));
      }

      function hideTip() { tip.hidden = true; }

      function showTip(node, x, y) {
        clear(tip);
        const aggregate = node.kind === 'agg';
        tip.appendChild(el('div', { class: 'path' }, pathOf(node) + (node.kind === 'dir' && node.parent ? '/' : '')));
        if (aggregate) {
          tip.appendChild(el('div', null, plural(node.files, 'file', 'files') + ' in entries under ' + human(view.treemap.minBytes) + ' each, drawn as one'));
        }
        tip.appendChild(el('div', null, human(node.bytes) + ' ', el('span', { class: 'dim' }, '(' + grouped(node.bytes) + ' bytes)')));
        if (node.kind === 'dir') tip.appendChild(el('div', null, plural(node.files, 'file', 'files')));
        if (node.kind !== 'dir' && node.layer >= 0) {
          tip.appendChild(el('div', null, (aggregate ? 'mostly from layer ' : 'layer ') + node.layer + ': ',
            el('span', { class: 'dim' }, cut(commands[node.layer] || '(no history)', 160))));
        }
        if (node.kind !== 'dir' && node.waste) {
          tip.appendChild(el('div', null, (aggregate ? 'mostly waste: ' : 'waste: ') + (titles[node.waste] || node.waste)));
        }
        tip.hidden = false;
        const size = tip.getBoundingClientRect();
        let left = x + 14, top = y + 16;
        if (left + size.width > window.innerWidth - 4) left = Math.max(4, x - size.width - 14);
        if (top + size.height > window.innerHeight - 4) top = Math.max(4, y - size.height - 12);
        tip.style.left = left + 'px'; tip.style.top = top + 'px';
      }

      map.addEventListener('mousemove', (event) => {
        const node = elements.get(event.target);
        if (node) showTip(node, event.clientX, event.clientY); else hideTip();
      });
      map.addEventListener('mouseleave', hideTip);
      map.addEventListener('click', (event) => {
        const node = elements.get(event.target);
        const target = node && (node.kind === 'dir' ? node : node.parent);
        if (target && target !== current) zoom(target);
      });
      map.addEventListener('keydown', (event) => {
        if ((event.key === 'Escape' || event.key === 'Backspace') && current.parent) { event.preventDefault(); zoom(current.parent); }
      });
      for (const button of [byLayer, byWaste]) {
        button.addEventListener('click', () => { mode = button.getAttribute('data-mode'); draw(); });
      }

      return { draw: draw };
    }

    """#
}
