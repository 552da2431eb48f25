/**
 * A DOM just big enough for the markdown renderer. Setting innerHTML or outerHTML throws, so a
 * renderer that parses HTML fails its tests instead of passing them.
 */
export class MiniText {
  constructor(readonly data: string) {}
  get textContent(): string {
    return this.data;
  }
  html(): string {
    return this.data.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
}

export class MiniElement {
  readonly childNodes: Array<MiniElement | MiniText> = [];
  readonly attributes = new Map<string, string>();
  hidden = false;
  href = '';
  target = '';
  rel = '';
  constructor(readonly tagName: string) {}
  appendChild<T extends MiniElement | MiniText>(node: T): T {
    this.childNodes.push(node);
    return node;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  set innerHTML(_value: string) {
    throw new Error('innerHTML must not be used');
  }
  set outerHTML(_value: string) {
    throw new Error('outerHTML must not be used');
  }
  get textContent(): string {
    return this.childNodes.map((node) => node.textContent).join('');
  }
  /** Text a reader sees: hidden elements left out. */
  get visibleText(): string {
    return this.childNodes.map((node) => (node instanceof MiniText ? node.data : node.hidden ? '' : node.visibleText)).join('');
  }
  /** Every element below this one, depth first. */
  all(): MiniElement[] {
    return this.childNodes.flatMap((node) => (node instanceof MiniElement ? [node, ...node.all()] : []));
  }
  html(): string {
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${v}"`).join('');
    const props = `${this.hidden ? ' hidden' : ''}${this.href ? ` href="${this.href}"` : ''}${this.target ? ` target="${this.target}"` : ''}${this.rel ? ` rel="${this.rel}"` : ''}`;
    return `<${this.tagName}${attrs}${props}>${this.childNodes.map((n) => n.html()).join('')}</${this.tagName}>`;
  }
}

export const miniDocument = {
  createElement: (tag: string) => new MiniElement(tag),
  createTextNode: (text: string) => new MiniText(text),
  createDocumentFragment: () => new MiniElement('#fragment'),
} as unknown as Document;
