import { describe, expect, it } from 'vitest';
import { blockText, parseBlock, parseInline, splitBlocks } from '../../../src/widget/app/chat/markdown.js';
import { demoReply } from '../../../src/local/bedrock/responder.js';
import { renderBlock } from '../../../src/widget/app/ui/markdownDom.js';
import { MiniElement, miniDocument } from '../support/miniDom.js';

/** Renders a whole reply the way MarkdownText does, into one container element. */
function render(source: string): MiniElement {
  const root = new MiniElement('div');
  for (const block of splitBlocks(source)) root.appendChild(renderBlock(miniDocument, parseBlock(block)) as unknown as MiniElement);
  return root;
}

const attack = [
  'Hello <img src=x onerror="parent.__pwned=1"> and <script>parent.__pwned=2</script>',
  '[click me](javascript:alert(1)) and [data](data:text/html,<b>x</b>) and [vb](vbscript:msgbox)',
  '<a href="javascript:alert(1)">a</a> **<svg onload=alert(1)>** `<iframe src=x>`',
].join('\n\n');

describe('markdown subset for assistant replies', () => {
  it('keeps every character: the rendered textContent equals the reply as written', () => {
    const samples = [
      '',
      'plain',
      'a\nb',
      '\n\nleading blank',
      'trailing\n\n\n',
      '**bold** and *it* and _it_ and `code` and [site](https://example.org/a?b=1)',
      '- one\n- two\n\n1. first\n2) second\n\nafter',
      '**unclosed bold and *unclosed it and `unclosed code and [half](https://x',
      '*** ** * __ `` [](https://x) [x]()',
      attack,
      ...['a', 'b', 'When is the clinic open?', 'flu shot'].map(demoReply),
    ];
    for (const source of samples) {
      expect(render(source).textContent).toBe(source);
      expect(splitBlocks(source).join('')).toBe(source);
      expect(splitBlocks(source).map((b) => blockText(parseBlock(b))).join('')).toBe(source);
    }
  });

  it('keeps textContent exact at every prefix while a reply streams in', () => {
    const reply = `${demoReply('streaming check')}\n\n${attack}`;
    for (let end = 0; end <= reply.length; end += 1) expect(render(reply.slice(0, end)).textContent).toBe(reply.slice(0, end));
  });

  it('renders bold, italic, code, paragraphs and lists as elements and hides the markers', () => {
    const root = render('Hi **there** and *you*, run `x`\n\n- one\n- two\n\n3. three\n4. four');
    expect(root.all().map((e) => e.tagName).filter((t) => t !== 'span')).toEqual(['p', 'strong', 'em', 'code', 'ul', 'li', 'li', 'ol', 'li', 'li']);
    expect(root.visibleText).toBe('Hi there and you, run xonetwothreefour');
    const ordered = root.all().find((e) => e.tagName === 'ol');
    expect(ordered?.attributes.get('start')).toBe('3');
  });

  it('renders the demo reply: a bold heading and a list of three items', () => {
    const root = render(demoReply('Can I book a flu vaccination?'));
    const tags = root.all().map((e) => e.tagName);
    expect(tags.filter((t) => t === 'strong')).toHaveLength(1);
    expect(tags.filter((t) => t === 'li')).toHaveLength(3);
    expect(root.visibleText).not.toContain('**');
  });

  it('puts nothing but li elements directly inside a list', () => {
    const root = render('- a\n- b\n  continued\n- c\n');
    const list = root.all().find((e) => e.tagName === 'ul');
    expect(list?.childNodes.every((node) => node instanceof MiniElement && node.tagName === 'li')).toBe(true);
  });

  it('makes links only for http(s) URLs, opening in a new tab without opener or referrer', () => {
    const root = render('[a](https://example.org/x) [b](http://example.org) [c](javascript:alert(1)) [d](data:text/html,x) [e](//evil.example) [f](HTTPS://ok.example)');
    const links = root.all().filter((e) => e.tagName === 'a');
    expect(links.map((a) => a.href)).toEqual(['https://example.org/x', 'http://example.org', 'HTTPS://ok.example']);
    for (const link of links) {
      expect(link.target).toBe('_blank');
      expect(link.rel).toBe('noopener noreferrer');
    }
    expect(root.visibleText).toContain('[c](javascript:alert(1))');
  });

  it('shows HTML in a reply as text: no img, script, iframe, svg or on* attribute is ever created', () => {
    const root = render(attack);
    const tags = new Set(root.all().map((e) => e.tagName));
    for (const tag of ['img', 'script', 'iframe', 'svg', 'a']) expect(tags.has(tag)).toBe(false);
    for (const element of root.all()) for (const name of element.attributes.keys()) expect(name).not.toMatch(/^on/i);
    expect(root.visibleText).toContain('<img src=x onerror="parent.__pwned=1">');
    expect(root.visibleText).toContain('<script>parent.__pwned=2</script>');
  });

  it('parses inline markup without losing unmatched markers', () => {
    expect(parseInline('2 * 3 * 4')).toEqual([{ kind: 'text', text: '2 * 3 * 4' }]);
    expect(parseInline('snake_case_name and __dunder__')).toEqual([{ kind: 'text', text: 'snake_case_name and __dunder__' }]);
    expect(parseInline('an _aside_.')).toEqual([{ kind: 'text', text: 'an ' }, { kind: 'em', children: [{ kind: 'syntax', text: '_' }, { kind: 'text', text: 'aside' }, { kind: 'syntax', text: '_' }] }, { kind: 'text', text: '.' }]);
  });
});
