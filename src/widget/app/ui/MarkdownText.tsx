import { For, createMemo } from 'solid-js';
import { parseBlock, splitBlocks } from '../chat/markdown.js';
import { renderBlock } from './markdownDom.js';

/**
 * Assistant text as formatted markdown. Blocks are keyed by their source, so while a reply
 * streams only the block that is still growing is rebuilt.
 */
export function MarkdownText(props: { text: string }) {
  const blocks = createMemo(() => splitBlocks(props.text));
  return <For each={blocks()}>{(source) => renderBlock(document, parseBlock(source))}</For>;
}
