import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlBlock, htmlLine } from '../../../src/report/html/escape-html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
  });

  it('escapes an ampersand once, so existing entities show as written', () => {
    expect(escapeHtml('&amp; &lt;')).toBe('&amp;amp; &amp;lt;');
  });

  it('leaves ordinary text, accents and arrows alone', () => {
    expect(escapeHtml('São Paulo → backup')).toBe('São Paulo → backup');
  });
});

describe('htmlLine', () => {
  it('keeps one item on one line and escapes it', () => {
    expect(htmlLine('dev-1\n<b>x</b>\u001b[31m')).toBe('dev-1\\n&lt;b&gt;x&lt;/b&gt;\\u001b[31m');
  });
});

describe('htmlBlock', () => {
  it('keeps line breaks and tabs, escapes markup and shows other control characters', () => {
    expect(htmlBlock('a\r\n\tb <i>\u0007')).toBe('a\n\tb &lt;i&gt;\\u0007');
  });
});
