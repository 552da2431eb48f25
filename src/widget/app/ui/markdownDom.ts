import type { Block, Inline } from '../chat/markdown.js';

/**
 * Builds DOM nodes for parsed markdown. Model text only ever becomes text nodes and the one
 * attribute a link needs; nothing is parsed as HTML, so markup in a reply stays visible text.
 */
type Doc = Pick<Document, 'createElement' | 'createTextNode' | 'createDocumentFragment'>;

function appendInline(doc: Doc, parent: Node, nodes: readonly Inline[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        parent.appendChild(doc.createTextNode(node.text));
        break;
      case 'syntax': {
        // Kept (hidden) so that the element's textContent is still the reply as written.
        const marker = doc.createElement('span');
        marker.hidden = true;
        marker.appendChild(doc.createTextNode(node.text));
        parent.appendChild(marker);
        break;
      }
      case 'break': {
        const marker = doc.createElement('span');
        marker.hidden = true;
        marker.appendChild(doc.createTextNode(node.text));
        parent.appendChild(marker);
        parent.appendChild(doc.createElement('br'));
        break;
      }
      case 'strong':
      case 'em':
      case 'code': {
        const element = doc.createElement(node.kind);
        appendInline(doc, element, node.children);
        parent.appendChild(element);
        break;
      }
      case 'link': {
        const anchor = doc.createElement('a');
        anchor.href = node.href;
        anchor.target = '_blank';
        anchor.rel = 'noopener noreferrer';
        appendInline(doc, anchor, node.children);
        parent.appendChild(anchor);
        break;
      }
    }
  }
}

export function renderBlock(doc: Doc, block: Block): Node {
  switch (block.kind) {
    case 'blank': {
      const marker = doc.createElement('span');
      marker.hidden = true;
      marker.appendChild(doc.createTextNode(block.text));
      return marker;
    }
    case 'paragraph': {
      const paragraph = doc.createElement('p');
      appendInline(doc, paragraph, block.children);
      return paragraph;
    }
    case 'list': {
      const list = doc.createElement(block.ordered ? 'ol' : 'ul');
      if (block.ordered && block.start !== 1) list.setAttribute('start', String(block.start));
      for (const item of block.items) {
        const element = doc.createElement('li');
        appendInline(doc, element, item);
        list.appendChild(element);
      }
      return list;
    }
  }
}
