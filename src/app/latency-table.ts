/**
 * Draws a {@link LatencyPanel}'s rows into a `<table>` inside the page's `#latency` section. Every row and cell is
 * created once; {@link LatencyTable.update} only toggles `hidden`, the `over` class and changed `textContent`.
 */
import type { LatencyGroup, LatencyPanel } from './latency-panel';

const GROUP_TITLES: Readonly<Record<LatencyGroup, string>> = Object.freeze({ display: 'Display', listen: 'Listen', watch: 'Watch' });

interface Cells {
  tr: HTMLTableRowElement;
  value: HTMLTableCellElement;
  target: HTMLTableCellElement;
  /** The target cell's text within and over the target (precomputed: '' for rows without one). */
  targetOk: string;
  targetOver: string;
  /** Last texts and state written to the DOM. */
  valueText: string;
  targetText: string;
  over: boolean;
  shown: boolean;
}

export class LatencyTable {
  private readonly cells: Cells[] = [];
  /** Group heading rows, and the index of each row's heading. */
  private readonly groups: { tr: HTMLTableRowElement; shown: boolean }[] = [];
  private readonly groupOf: number[] = [];
  private shown = false;

  constructor(private readonly section: HTMLElement, private readonly panel: LatencyPanel) {
    const doc = section.ownerDocument;
    const table = doc.createElement('table');
    const caption = doc.createElement('caption');
    caption.textContent = 'Latency (live)';
    const body = doc.createElement('tbody');
    const rows = panel.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (i === 0 || rows[i - 1].group !== r.group) {
        const tr = doc.createElement('tr');
        tr.className = `group ${r.group}`;
        tr.hidden = true;
        const th = doc.createElement('th');
        th.colSpan = 3;
        th.scope = 'colgroup';
        th.textContent = GROUP_TITLES[r.group];
        tr.append(th);
        body.append(tr);
        this.groups.push({ tr, shown: false });
      }
      this.groupOf.push(this.groups.length - 1);
      const tr = doc.createElement('tr');
      tr.dataset.key = r.key;
      tr.hidden = true;
      const th = doc.createElement('th');
      th.scope = 'row';
      th.textContent = r.label;
      const value = doc.createElement('td');
      value.className = 'value';
      const target = doc.createElement('td');
      target.className = 'target';
      tr.append(th, value, target);
      body.append(tr);
      // Over: said in words as well as colour.
      const targetOver = r.target === '' ? '' : `over target ${r.target}`;
      this.cells.push({ tr, value, target, targetOk: r.target, targetOver, valueText: '', targetText: '', over: false, shown: false });
    }
    table.append(caption, body);
    section.replaceChildren(table);
    section.hidden = true;
  }

  /** Writes the panel's current rows (call after {@link LatencyPanel.update}). */
  update(): void {
    const rows = this.panel.rows;
    if (this.shown !== this.panel.active) {
      this.shown = this.panel.active;
      this.section.hidden = !this.shown;
    }
    for (let g = 0; g < this.groups.length; g++) this.groups[g].shown = false;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const c = this.cells[i];
      if (r.shown) this.groups[this.groupOf[i]].shown = true;
      if (c.shown !== r.shown) {
        c.shown = r.shown;
        c.tr.hidden = !r.shown;
      }
      if (c.valueText !== r.text) {
        c.valueText = r.text;
        c.value.textContent = r.text;
      }
      const targetText = r.over ? c.targetOver : c.targetOk;
      if (c.targetText !== targetText) {
        c.targetText = targetText;
        c.target.textContent = targetText;
      }
      if (c.over !== r.over) {
        c.over = r.over;
        c.tr.classList.toggle('over', r.over);
      }
    }
    for (let k = 0; k < this.groups.length; k++) {
      const g = this.groups[k];
      if (g.tr.hidden === g.shown) g.tr.hidden = !g.shown;
    }
  }
}
