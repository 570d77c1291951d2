// Writes that happen only when the value changes: a frame that changes nothing touches no attribute and no
// text (an unchanged setAttribute still costs a style recalculation of its element).
import type * as d3 from 'd3';

/** Set an attribute (null: remove it) only when it differs. */
export function put(e: Element, name: string, value: string | number | null): void {
  const v = value === null ? null : String(value);
  if (e.getAttribute(name) === v) return;
  if (v === null) e.removeAttribute(name);
  else e.setAttribute(name, v);
}

export function putText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** `sel.attr(name, fn)`, writing only the values that changed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attrIf<E extends Element, D>(sel: d3.Selection<E, D, any, any>, name: string, fn: (d: D, i: number) => string | number | null): d3.Selection<E, D, any, any> {
  return sel.each(function (d, i) {
    put(this, name, fn(d, i));
  });
}
