/** Visible messages for the performer (errors, warnings, hints), keyed so a condition shows once and can be cleared. */

export type MessageLevel = 'error' | 'warn' | 'info';

export class MessageBoard {
  private readonly items = new Map<string, HTMLLIElement>();
  /** Last error text shown (for the test hook), '' when none. */
  lastError = '';

  constructor(private readonly list: HTMLUListElement) {}

  /** Shows (or replaces) the message under `key`. */
  show(key: string, text: string, level: MessageLevel = 'error'): void {
    let li = this.items.get(key);
    if (!li) {
      li = document.createElement('li');
      li.dataset.key = key;
      this.list.appendChild(li);
      this.items.set(key, li);
    }
    li.className = level;
    if (li.textContent !== text) li.textContent = text;
    if (level === 'error') this.lastError = text;
    if (level === 'error') console.error(`[duet] ${text}`);
  }

  clear(key: string): void {
    const li = this.items.get(key);
    if (!li) return;
    li.remove();
    this.items.delete(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  /** All shown messages, in order. */
  texts(): string[] {
    return [...this.items.values()].map((li) => li.textContent ?? '');
  }
}
