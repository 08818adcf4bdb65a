/// The report script, part 1: number formats (the rules of `ByteFormat`, so every figure reads as
/// in the text report), DOM helpers that only ever make text nodes, colours, and the squarified
/// treemap layout.
enum ScriptBasics {
  static let source = #"""
    'use strict';

    // ---- Numbers: ByteFormat's rules, digit for digit ----

    /** Swift's Double.rounded(): to nearest, halves away from zero. */
    function roundHalfAway(value) { return value < 0 ? -Math.round(-value) : Math.round(value); }

    /** ByteFormat.fixed: `value` with `digits` decimals. */
    function fixed(value, digits) {
      let scale = 1;
      for (let i = 0; i < digits; i++) scale *= 10;
      const scaled = roundHalfAway(value * scale);
      if (digits <= 0) return String(scaled);
      const whole = Math.trunc(scaled / scale);
      const fraction = roundHalfAway(Math.abs(scaled - whole * scale));
      let text = String(fraction);
      while (text.length < digits) text = '0' + text;
      const sign = value < 0 && whole === 0 && fraction !== 0 ? '-' : '';
      return sign + String(whole) + '.' + text;
    }

    const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

    /** ByteFormat.human: decimal units, three significant digits (`1.98 MB`). */
    function human(bytes) {
      let value = Math.abs(bytes);
      let unit = 0;
      while (value >= 999.995 && unit < UNITS.length - 1) { value /= 1000; unit++; }
      const sign = bytes < 0 ? '-' : '';
      if (unit === 0) return sign + String(Math.abs(bytes)) + ' B';
      const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
      return sign + fixed(value, digits) + ' ' + UNITS[unit];
    }

    /** ByteFormat.grouped: `1,234,567`. */
    function grouped(value) {
      const digits = String(Math.abs(value));
      let result = '';
      for (let i = 0; i < digits.length; i++) {
        if (i > 0 && (digits.length - i) % 3 === 0) result += ',';
        result += digits[i];
      }
      return value < 0 ? '-' + result : result;
    }

    /** ByteFormat.percent: a fraction as `98.4421 %`. */
    function percent(fraction) { return fixed(fraction * 100, 4) + ' %'; }

    function plural(count, one, many) { return grouped(count) + ' ' + (count === 1 ? one : many); }

    // ---- DOM: names from the image only ever become text nodes or attribute values ----

    const SVGNS = 'http://www.w3.org/2000/svg';

    function put(element, attributes, children) {
      if (attributes) {
        for (const key of Object.keys(attributes)) {
          const value = attributes[key];
          if (value !== null && value !== undefined && value !== false) element.setAttribute(key, String(value));
        }
      }
      for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        element.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
      }
      return element;
    }

    /** An HTML element; string children become text nodes. */
    function el(tag, attributes, ...children) { return put(document.createElement(tag), attributes, children); }

    /** An SVG element; string children become text nodes. */
    function svg(tag, attributes, ...children) { return put(document.createElementNS(SVGNS, tag), attributes, children); }

    function clear(element) { while (element.firstChild) element.removeChild(element.firstChild); }

    const measure = document.createElement('canvas').getContext('2d');

    /** `text` cut with an ellipsis to fit `width` pixels in `font`, or '' when nothing fits. */
    function fit(text, width, font) {
      measure.font = font;
      if (measure.measureText(text).width <= width) return text;
      let low = 0, high = text.length;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (measure.measureText(text.slice(0, middle) + '…').width <= width) low = middle; else high = middle - 1;
      }
      return low === 0 ? '' : text.slice(0, low) + '…';
    }

    // ---- Colours ----

    const LAYER_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
      '#9c755f', '#86bcb6', '#d4a6c8', '#8cd17d'];

    function layerColour(layer) {
      if (layer < 0) return '#8a8f99';
      if (layer < LAYER_COLOURS.length) return LAYER_COLOURS[layer];
      const hue = Math.round((layer * 137.508) % 360);
      return 'hsl(' + hue + ', 55%, ' + (layer % 2 ? 62 : 50) + '%)';
    }

    const NO_WASTE = '#c9ced6';

    /** A category's colour: its own (`colours`, from strata's category definitions), else one picked by position. */
    function wasteColour(category, categories, colours) {
      if (!category) return NO_WASTE;
      if (Object.prototype.hasOwnProperty.call(colours, category)) return colours[category];
      const hue = Math.round(((categories.indexOf(category) + 3) * 137.508) % 360);
      return 'hsl(' + hue + ', 50%, 55%)';
    }

    /** Black or white, whichever reads better on `colour` (hex or hsl). */
    function inkOn(colour) {
      let light;
      if (colour[0] === '#') {
        const n = parseInt(colour.slice(1), 16);
        light = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
      } else {
        light = parseFloat(colour.split(',')[2]) / 100;
      }
      return light > 0.55 ? '#14171d' : '#ffffff';
    }

    // ---- Layout ----

    /**
     * The squarified treemap layout (Bruls, Huizing and van Wijk, 2000): `values` (positive,
     * largest first) become rectangles tiling x, y, w, h, each with an area proportional to its
     * value. Rows are laid along the shorter side and grown while that improves their worst
     * aspect ratio. Returns one {x, y, w, h} per value.
     */
    function squarify(values, x, y, w, h) {
      const out = [];
      let total = 0;
      for (const value of values) total += value;
      if (!(total > 0) || !(w > 0) || !(h > 0)) return values.map(() => ({ x: x, y: y, w: 0, h: 0 }));
      const scale = (w * h) / total;
      let start = 0;
      while (start < values.length) {
        const side = Math.min(w, h);
        let sum = 0, smallest = Infinity, largest = 0, end = start, worst = Infinity;
        while (end < values.length) {
          const area = values[end] * scale;
          const nextSum = sum + area;
          const nextSmallest = Math.min(smallest, area), nextLargest = Math.max(largest, area);
          const ratio = Math.max((side * side * nextLargest) / (nextSum * nextSum),
                                 (nextSum * nextSum) / (side * side * nextSmallest));
          if (end > start && ratio > worst) break;
          worst = ratio; sum = nextSum; smallest = nextSmallest; largest = nextLargest; end++;
        }
        const last = end === values.length;
        const thickness = last ? (w >= h ? w : h) : sum / side;
        let offset = 0;
        for (let i = start; i < end; i++) {
          const length = i === end - 1 ? side - offset : (values[i] * scale) / thickness;
          out.push(w >= h ? { x: x, y: y + offset, w: thickness, h: length }
                          : { x: x + offset, y: y, w: length, h: thickness });
          offset += length;
        }
        if (w >= h) { x += thickness; w = Math.max(0, w - thickness); } else { y += thickness; h = Math.max(0, h - thickness); }
        start = end;
      }
      return out;
    }

    """#
}
