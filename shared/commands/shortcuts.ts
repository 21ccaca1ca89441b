/**
 * Keyboard shortcuts as data: `Mod+Shift+Z`, where Mod is ⌘ on a Mac and Ctrl elsewhere.
 * The renderer matches key presses against them, menus and the palette show them, and the
 * desktop menus turn them into Electron accelerators.
 */

export type Shortcut = string;
export type Platform = 'mac' | 'other';

/** The parts of a KeyboardEvent a shortcut is matched against. */
export interface KeyPress {
  key: string;
  /** The physical key ("Digit1", "KeyN"): Shift+1 types "!" and ⌥N on a Mac "˜". */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Parsed {
  mod: boolean;
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

const MODIFIERS = new Set(['Mod', 'Ctrl', 'Shift', 'Alt']);

export function parseShortcut(shortcut: Shortcut): Parsed {
  const parts = shortcut.split('+');
  // "Mod+=" and "Mod++" both mean the plus/equals key; the last part is always the key.
  const key = parts.pop() || '+';
  for (const part of parts) if (!MODIFIERS.has(part)) throw new Error(`Unknown modifier "${part}" in shortcut ${shortcut}`);
  return { mod: parts.includes('Mod'), ctrl: parts.includes('Ctrl'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key };
}

const sameKey = (a: string, b: string) => (a.length === 1 && b.length === 1 ? a.toLowerCase() === b.toLowerCase() : a === b);

/**
 * The key pressed is the shortcut's key: by the character it types, or for a digit with Shift
 * and a letter with Alt, which type other characters, by the physical key.
 */
function isKey(key: string, press: KeyPress, shift: boolean, alt: boolean): boolean {
  if (sameKey(key, press.key)) return true;
  if (/^[0-9]$/.test(key) && shift) return press.code === `Digit${key}`;
  if (/^[a-z]$/i.test(key) && alt) return press.code === `Key${key.toUpperCase()}`;
  return false;
}

/** Whether a key press is this shortcut, with exactly its modifiers. */
export function matchesShortcut(shortcut: Shortcut, press: KeyPress, platform: Platform): boolean {
  const s = parseShortcut(shortcut);
  const ctrl = s.ctrl || (s.mod && platform === 'other');
  const meta = s.mod && platform === 'mac';
  // "?" is typed with Shift on most layouts: a printable key's own shift does not count against it.
  const shiftFree = s.key.length === 1 && !/[a-z0-9]/i.test(s.key) && !s.shift;
  return (
    isKey(s.key, press, s.shift, s.alt) &&
    press.ctrlKey === ctrl &&
    press.metaKey === meta &&
    press.altKey === s.alt &&
    (shiftFree || press.shiftKey === s.shift)
  );
}

const KEY_LABELS: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc', Delete: 'Del' };
const MAC_KEY_LABELS: Record<string, string> = { Backspace: '⌫', Delete: '⌦', Enter: '↩' };

/** How a shortcut is written for people: "Ctrl+Shift+Z" or "⇧⌘Z". */
export function shortcutLabel(shortcut: Shortcut, platform: Platform): string {
  const s = parseShortcut(shortcut);
  const key = (platform === 'mac' ? MAC_KEY_LABELS[s.key] : undefined) ?? KEY_LABELS[s.key] ?? (s.key.length === 1 ? s.key.toUpperCase() : s.key);
  if (platform === 'mac') return `${s.ctrl ? '⌃' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${s.mod ? '⌘' : ''}${key}`;
  return [...(s.ctrl || s.mod ? ['Ctrl'] : []), ...(s.alt ? ['Alt'] : []), ...(s.shift ? ['Shift'] : []), key].join('+');
}

const ACCELERATOR_KEYS: Record<string, string> = {
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  Escape: 'Esc',
  Enter: 'Return',
  '+': 'Plus',
  ' ': 'Space',
};

/** The same shortcut as an Electron menu accelerator, e.g. "CmdOrCtrl+Shift+Z". */
export function electronAccelerator(shortcut: Shortcut): string {
  const s = parseShortcut(shortcut);
  const key = ACCELERATOR_KEYS[s.key] ?? (s.key.length === 1 ? s.key.toUpperCase() : s.key);
  return [...(s.mod ? ['CmdOrCtrl'] : []), ...(s.ctrl ? ['Ctrl'] : []), ...(s.alt ? ['Alt'] : []), ...(s.shift ? ['Shift'] : []), key].join('+');
}
