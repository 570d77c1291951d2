// Small DOM helpers: elements are built with properties and textContent only (never innerHTML).
export type Props = { [prop: string]: unknown; dataset?: Record<string, string> };

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  const { dataset, ...rest } = props;
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'innerHTML' || k === 'outerHTML') throw new Error('el(): no HTML strings');
    if (k.startsWith('aria') && k !== 'ariaLabel' && typeof v === 'string') e.setAttribute(`aria-${k.slice(4).toLowerCase()}`, v);
    else if (k === 'ariaLabel') e.setAttribute('aria-label', String(v));
    else (e as unknown as Record<string, unknown>)[k] = v;
  }
  if (dataset) Object.assign(e.dataset, dataset);
  for (const c of children) e.append(c);
  return e;
}

export function button(text: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', textContent: text, ...props });
  b.addEventListener('click', onClick);
  return b;
}
