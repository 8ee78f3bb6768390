/**
 * What a page's computed styles say about its design, measured inside the page. `collectPageStyles`
 * runs in the browser: it may use nothing from this module (it is sent as source text).
 */

/** Use of one colour in px² of the page: backgrounds by the area they show, text by glyph area, borders by their area. */
export interface RawColorUse {
  background: number;
  text: number;
  border: number;
  interactive: number;
}

export interface RawStyles {
  /** Keyed by `#rrggbb` (any CSS colour the page uses, converted by the browser itself). */
  colors: Record<string, RawColorUse>;
  /** Computed `font-family` lists → characters of heading and body text set in them. */
  fonts: Record<string, { heading: number; body: number }>;
  /** Font sizes in px → characters of heading and body text. */
  sizes: Record<string, { heading: number; body: number }>;
  /** Margins, paddings and gaps in px → how often they occur. */
  spacing: Record<string, number>;
  /** Border radii (`8px`, `50%`) → how many visible boxes use them. */
  radii: Record<string, number>;
  elements: number;
  /** The walk stopped early (too many elements or too deep). */
  truncated: boolean;
  width: number;
  height: number;
  title: string;
}

export interface CollectLimits {
  maxElements: number;
  maxDepth: number;
}

/**
 * Walks the rendered DOM once. Backgrounds count the area they paint: an element's box minus the
 * boxes of the painted descendants that cover it. The canvas (the page behind everything) takes
 * the root's colour, or white.
 */
export function collectPageStyles(limits: CollectLimits): RawStyles {
  const out: RawStyles = {
    colors: {},
    fonts: {},
    sizes: {},
    spacing: {},
    radii: {},
    elements: 0,
    truncated: false,
    width: 0,
    height: 0,
    title: document.title,
  };
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const paint = canvas.getContext('2d', { willReadFrequently: true });
  const hexes = new Map<string, string | null>();
  // The browser converts any CSS colour (named, hsl, oklch, color-mix …) to pixels: read one back.
  const hexOf = (css: string): string | null => {
    const known = hexes.get(css);
    if (known !== undefined) return known;
    let hex: string | null = null;
    if (paint && css && css !== 'transparent') {
      paint.clearRect(0, 0, 1, 1);
      paint.fillStyle = '#000000';
      paint.fillStyle = css;
      paint.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 0] = paint.getImageData(0, 0, 1, 1).data;
      // Mostly see-through colours are left out: what shows is what is behind them.
      if (a >= 128) hex = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    }
    hexes.set(css, hex);
    return hex;
  };
  const px = (value: string) => {
    const n = Number.parseFloat(value);
    return Number.isFinite(n) ? n : 0;
  };
  const round = (n: number) => String(Math.round(n * 10) / 10);
  const use = (hex: string): RawColorUse =>
    (out.colors[hex] ??= { background: 0, text: 0, border: 0, interactive: 0 });
  const INTERACTIVE =
    'a[href], button, [role=button], input[type=submit], input[type=button], summary, select';
  const HEADING = 'h1, h2, h3, h4, h5, h6, [role=heading]';
  const SKIP = new Set(['HEAD', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'LINK', 'META']);
  const SIDES = ['top', 'right', 'bottom', 'left'];
  const CORNERS = ['top-left', 'top-right', 'bottom-right', 'bottom-left'];
  const SPACES = [...SIDES.map((s) => `margin-${s}`), ...SIDES.map((s) => `padding-${s}`)];
  const root = document.documentElement;
  const rootStyle = getComputedStyle(root);
  const rootBg = hexOf(rootStyle.backgroundColor);
  const bodyBg = document.body ? hexOf(getComputedStyle(document.body).backgroundColor) : null;
  out.width = Math.max(root.scrollWidth, window.innerWidth);
  out.height = Math.max(root.scrollHeight, document.body?.scrollHeight ?? 0, window.innerHeight);

  const measure = (el: Element, style: CSSStyleDeclaration, rect: DOMRect) => {
    let chars = 0;
    for (const node of el.childNodes)
      if (node.nodeType === Node.TEXT_NODE)
        chars += (node.textContent ?? '').replace(/\s+/g, ' ').trim().length;
    if (chars > 0) {
      const size = px(style.fontSize);
      const part = el.closest(HEADING) ? 'heading' : 'body';
      const color = hexOf(style.color);
      if (color) {
        const glyphs = chars * size * size * 0.5;
        use(color).text += glyphs;
        if (el.closest(INTERACTIVE)) use(color).interactive += glyphs;
      }
      out.fonts[style.fontFamily] ??= { heading: 0, body: 0 };
      out.fonts[style.fontFamily]![part] += chars;
      const sizeKey = round(size);
      out.sizes[sizeKey] ??= { heading: 0, body: 0 };
      out.sizes[sizeKey]![part] += chars;
    }
    let boxed = Boolean(hexOf(style.backgroundColor)) || el.tagName === 'IMG';
    for (const side of SIDES) {
      const width = px(style.getPropertyValue(`border-${side}-width`));
      const line = style.getPropertyValue(`border-${side}-style`);
      if (width <= 0 || line === 'none' || line === 'hidden') continue;
      const color = hexOf(style.getPropertyValue(`border-${side}-color`));
      if (!color) continue;
      boxed = true;
      use(color).border += width * (side === 'top' || side === 'bottom' ? rect.width : rect.height);
    }
    for (const prop of SPACES) {
      const value = px(style.getPropertyValue(prop));
      // Centring margins (auto) come back as large px values that depend on the window: left out.
      if (value > 0 && value <= 128) out.spacing[round(value)] = (out.spacing[round(value)] ?? 0) + 1;
    }
    if (/flex|grid/.test(style.display)) {
      for (const prop of ['row-gap', 'column-gap']) {
        const value = px(style.getPropertyValue(prop));
        if (value > 0 && value <= 128) out.spacing[round(value)] = (out.spacing[round(value)] ?? 0) + 1;
      }
    }
    if (boxed) {
      const seen = new Set<string>();
      for (const corner of CORNERS) {
        const value = style.getPropertyValue(`border-${corner}-radius`).split(' ')[0] ?? '';
        if (value && px(value) > 0) seen.add(value);
      }
      for (const value of seen) out.radii[value] = (out.radii[value] ?? 0) + 1;
    }
  };

  const visit = (el: Element, depth: number): number => {
    if (SKIP.has(el.tagName)) return 0;
    if (out.elements >= limits.maxElements || depth > limits.maxDepth) {
      out.truncated = true;
      return 0;
    }
    out.elements++;
    const style = getComputedStyle(el);
    if (style.display === 'none') return 0;
    const rect = el.getBoundingClientRect();
    const shown = style.visibility !== 'hidden' && Number(style.opacity) > 0;
    let covered = 0;
    for (const child of el.children) covered += visit(child, depth + 1);
    if (shown && rect.width > 0 && rect.height > 0) measure(el, style, rect);
    let background: string | null;
    let area = rect.width * rect.height;
    if (el === root) {
      background = rootBg ?? bodyBg ?? '#ffffff';
      area = out.width * out.height;
    } else if (el === document.body && !rootBg) {
      // The body's colour painted the canvas (counted at the root).
      background = null;
    } else {
      background = shown ? hexOf(style.backgroundColor) : null;
    }
    if (!background || area <= 0) return covered;
    use(background).background += Math.max(0, area - covered);
    if (el.matches(INTERACTIVE)) use(background).interactive += area;
    return area;
  };
  visit(root, 0);
  return out;
}
