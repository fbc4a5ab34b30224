import { describe, expect, it } from 'vitest';
import { isPlainSvg } from './svg';

// What the engine's qrcode renderer produces (shortened).
const ENGINE_SVG =
  '<?xml version="1.0" standalone="yes"?><svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="264" height="264" viewBox="0 0 264 264" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h264v264H0z"/><path fill="#000000" d="M32 32h56v8H32z"/></svg>';

describe('isPlainSvg', () => {
  it('accepts the engine’s QR drawing, with or without the XML declaration', () => {
    expect(isPlainSvg(ENGINE_SVG)).toBe(true);
    expect(isPlainSvg(ENGINE_SVG.replace(/^<\?xml[^>]*\?>/, ''))).toBe(true);
  });

  it('refuses anything that could run code or load something', () => {
    const bad = [
      '',
      '<div>not svg</div>',
      '<svg><script>alert(1)</script></svg>',
      '<svg onload="alert(1)"></svg>',
      '<svg><a href="javascript:alert(1)"><path d="M0 0"/></a></svg>',
      '<svg><foreignObject><iframe></iframe></foreignObject></svg>',
      '<svg><image href="https://example.com/x.png"/></svg>',
      '<svg><use xlink:href="#a"/></svg>',
      '<svg></svg><script>alert(1)</script>',
      '<!DOCTYPE svg [<!ENTITY x "y">]><svg></svg>',
    ];
    for (const svg of bad) expect(isPlainSvg(svg), svg).toBe(false);
  });
});
