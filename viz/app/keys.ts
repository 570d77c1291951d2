// The player's keys. A key a focused control uses itself is left to it, so nothing acts twice: the speed
// slider's arrows, Home/End, PageUp/PageDown; Space and Enter on a button; anything typed in a field, a
// select, the action menu or a dialog. Home/End never scroll the page.
export interface KeyTarget {
  toggle(): void;
  step(dir: 1 | -1): void;
  /** Move the playhead by `dus` µs. */
  nudge(dus: number): void;
  /** Change the speed slider by `dv` (its range is −2…2). */
  speedBy(dv: number): void;
  home(): void;
  end(): void;
}

export function playerKey(e: KeyboardEvent, k: KeyTarget): void {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement;
  const tag = target.tagName;
  const slider = tag === 'INPUT' && (target as HTMLInputElement).type === 'range';
  if ((tag === 'INPUT' && !slider) || tag === 'SELECT' || tag === 'TEXTAREA' || target.isContentEditable) return;
  // the slider's own keys move the slider, and only it
  if (slider && /^(Arrow(Left|Right|Up|Down)|Home|End|PageUp|PageDown)$/.test(e.key)) return;
  if (target.closest('dialog, .action-menu, .mark-popover')) return;
  const onButton = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || target.getAttribute('role') === 'button';
  if (e.key === ' ' || e.key === 'k') {
    if (onButton && e.key === ' ') return;
    e.preventDefault();
    k.toggle();
  } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    e.preventDefault();
    const dir = e.key === 'ArrowRight' ? 1 : -1;
    if (e.shiftKey) k.nudge(dir * 1_000_000);
    else k.step(dir);
  } else if (e.key === '+' || e.key === '=' || e.key === '-') {
    k.speedBy(e.key === '-' ? -0.25 : 0.25);
  } else if (e.key === 'Home') {
    e.preventDefault();
    k.home();
  } else if (e.key === 'End') {
    e.preventDefault();
    k.end();
  }
}
