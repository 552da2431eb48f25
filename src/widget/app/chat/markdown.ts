/**
 * The markdown subset assistant replies may use: paragraphs, line breaks, bullet and numbered
 * lists, **bold**, *italic* / _italic_, `inline code` and [links](https://…) to http(s) only.
 *
 * The parser never drops a character: every piece of the source ends up either as visible text or
 * as a `syntax` node (a marker such as `**` or a newline) that the renderer keeps in the DOM but
 * hides. A message element's textContent therefore stays exactly the reply as streamed, which is
 * what QA suites compare, while people see formatted text.
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'syntax'; text: string }
  | { kind: 'break'; text: string }
  | { kind: 'strong' | 'em' | 'code'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'blank'; text: string };

const listItem = /^([ \t]*)([-*+]|(\d{1,9})[.)])[ \t]+/;
const safeHref = /^https?:\/\/[^\s<>"'`]+$/i;

/** Splits a reply into block sources; each keeps its trailing newlines, so they join back to the reply. */
export function splitBlocks(source: string): string[] {
  const lines = source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const blocks: string[] = [];
  let current = '';
  let currentIsList = false;
  for (const line of lines) {
    const blank = line.trim() === '';
    if (blank) {
      current += line;
      continue;
    }
    const isList = listItem.test(line);
    const endsWithBlank = /\n[ \t]*\n$/.test(current) || /^[ \t]*\n$/.test(current);
    if (current !== '' && (endsWithBlank || isList !== currentIsList)) {
      blocks.push(current);
      current = '';
    }
    if (current === '') currentIsList = isList;
    current += line;
  }
  if (current !== '') blocks.push(current);
  return blocks;
}

function trailingNewlines(text: string): [string, string] {
  const match = /\s*$/.exec(text);
  const tail = match ? match[0] : '';
  return [text.slice(0, text.length - tail.length), tail];
}

function findClosing(source: string, marker: string, from: number): number {
  const end = source.indexOf(marker, from);
  return end > from ? end : -1;
}

/** Inline markup of one line or paragraph. */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    if (source[i] === '\n') {
      flush();
      out.push({ kind: 'break', text: '\n' });
      i += 1;
      continue;
    }
    if (source[i] === '`') {
      const end = findClosing(source, '`', i + 1);
      if (end !== -1) {
        flush();
        out.push({ kind: 'code', children: [{ kind: 'syntax', text: '`' }, { kind: 'text', text: source.slice(i + 1, end) }, { kind: 'syntax', text: '`' }] });
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('**')) {
      const end = findClosing(source, '**', i + 2);
      if (end !== -1) {
        flush();
        out.push({ kind: 'strong', children: [{ kind: 'syntax', text: '**' }, ...parseInline(source.slice(i + 2, end)), { kind: 'syntax', text: '**' }] });
        i = end + 2;
        continue;
      }
    }
    const char = source[i] ?? '';
    // `_` inside a word (snake_case, __dunder) is not emphasis, as in CommonMark.
    const wordAround = (at: number) => /[\p{L}\p{N}_]/u.test(source[at] ?? '');
    if ((char === '*' || (char === '_' && !wordAround(i - 1))) && source[i + 1] !== ' ' && source[i + 1] !== char) {
      const end = findClosing(source, char, i + 1);
      if (end !== -1 && source[end - 1] !== ' ' && (char === '*' || !wordAround(end + 1))) {
        flush();
        out.push({ kind: 'em', children: [{ kind: 'syntax', text: char }, ...parseInline(source.slice(i + 1, end)), { kind: 'syntax', text: char }] });
        i = end + 1;
        continue;
      }
    }
    if (char === '[') {
      const link = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(rest);
      if (link && safeHref.test(link[2] ?? '')) {
        flush();
        const [whole, label = '', href = ''] = link;
        out.push({ kind: 'link', href, children: [{ kind: 'syntax', text: '[' }, ...parseInline(label), { kind: 'syntax', text: `](${href})` }] });
        i += whole.length;
        continue;
      }
    }
    text += char;
    i += 1;
  }
  flush();
  return out;
}

/** One block source (from `splitBlocks`) as a paragraph, a list, or only blank lines. */
export function parseBlock(source: string): Block {
  const [body, tail] = trailingNewlines(source);
  const end: Inline[] = tail === '' ? [] : [{ kind: 'syntax', text: tail }];
  if (body === '') return { kind: 'blank', text: source };
  const first = listItem.exec(body);
  if (!first) return { kind: 'paragraph', children: [...parseInline(body), ...end] };
  const items: Inline[][] = [];
  for (const line of body.split('\n')) {
    const marker = listItem.exec(line);
    if (marker) {
      items.push([{ kind: 'syntax', text: marker[0] }, ...parseInline(line.slice(marker[0].length))]);
    } else {
      // A continuation line belongs to the item before it.
      items.at(-1)?.push({ kind: 'break', text: '\n' }, ...parseInline(line));
      continue;
    }
  }
  // The newlines between items sit inside the items so that a list holds nothing but items.
  for (let index = 0; index < items.length - 1; index += 1) items[index]?.push({ kind: 'syntax', text: '\n' });
  items.at(-1)?.push(...end);
  return { kind: 'list', ordered: first[3] !== undefined, start: Number(first[3] ?? 1), items };
}

function inlineText(nodes: readonly Inline[]): string {
  return nodes.map((node) => ('children' in node ? inlineText(node.children) : node.text)).join('');
}

/** The source a block was parsed from; the renderer's textContent. */
export function blockText(block: Block): string {
  switch (block.kind) {
    case 'blank':
      return block.text;
    case 'paragraph':
      return inlineText(block.children);
    case 'list':
      return block.items.map(inlineText).join('');
  }
}
