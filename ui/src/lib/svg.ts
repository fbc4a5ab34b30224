// The QR codes arrive as SVG text drawn by the engine's own Rust code. They
// are inserted with {@html}, so anything that is not a plain drawing is
// refused here as a second line of defence.

const FORBIDDEN = /<script|<foreignobject|<iframe|<object|<embed|<image|<use|\son[a-z]+\s*=|javascript:|href\s*=|<!entity/i;

export function isPlainSvg(svg: string): boolean {
  const trimmed = svg.trim();
  const start = trimmed.replace(/^<\?xml[^>]*\?>\s*/i, '');
  return start.startsWith('<svg') && trimmed.endsWith('</svg>') && !FORBIDDEN.test(trimmed);
}
