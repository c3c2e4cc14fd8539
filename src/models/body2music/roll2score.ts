/**
 * Roll2Score: music roll frames (beat probability, energy, style, activity) -> beat-synchronous note events in a
 * style-fitting arrangement for piano, bass and drums. Pure TypeScript (no tfjs).
 *
 * Tempo and phase tracking: the beat curve of the last `historySeconds` is kept in a ring buffer. Every
 * `estimateEvery` frames the tempo is estimated by autocorrelation (score(P) = prior(P) * (ac(P) + 0.5 ac(2P)), with a
 * log-Gaussian prior centred on the roll's tempo hint or the style-weighted training tempo), and the beat phase by the
 * curve's Fourier coefficient at the tracked period. A locked tracker follows them slowly (tempo gain, bounded phase
 * correction) and re-locks its tempo only after a sustained disagreement, so beats do not jitter.
 *
 * Two ways to get notes, both on the AudioContext clock:
 * - just in time (the app): `observe(roll, time)` at the roll rate feeds the tracker only; `due(now, horizon)`, called
 *   from a fine clock (the synth's scheduler tick, every few ms), decides the notes that start before `horizon` with the
 *   tracker's latest tempo, phase, energy and style. Off-beat notes of a beat wait in a queue until they are due, so a
 *   note is decided at most `horizon - now` before it starts.
 * - per roll frame (offline evaluation, `update`): notes of a beat are returned once, `lookahead` seconds before the
 *   beat at the latest; off-beat notes of that beat come with it.
 */
import type { NoteEvent, Style } from '../../types';
import { STYLES } from '../../types';
import type { RollFrame, Roll2Score } from '../types';

/** Options of {@link createRoll2Score}. */
export interface Roll2ScoreOptions {
  /** Roll frames per second (the rate `update` is called at), Hz. */
  fps: number;
  /** `update` only: notes of a beat are returned when the beat is less than this far ahead, seconds. */
  lookahead: number;
  /** `due` only: beats and queued notes up to this late are played at once, later ones are skipped, seconds. */
  lateTolerance: number;
  /** Length of the beat-curve history used for tempo and phase, seconds. */
  historySeconds: number;
  /** History needed before the first lock, seconds. */
  warmupSeconds: number;
  /** Frames between tempo/phase estimates. */
  estimateEvery: number;
  /** Tempo range considered, bpm. */
  minBpm: number;
  maxBpm: number;
  /** Prior tempo per style (STYLES order), bpm; the prior is centred on their style-probability-weighted mean. */
  styleBpm: readonly number[];
  /** Width of the tempo prior centred on the style tempos, octaves. */
  priorOctaves: number;
  /** Width of the tempo prior when the roll carries a tempo estimate, octaves. */
  hintOctaves: number;
  /** Share of the distance to a new tempo estimate taken per estimate (0..1). */
  tempoGain: number;
  /** Share of the phase error corrected per estimate (0..1). */
  phaseGain: number;
  /** Share of the phase error (in periods) added to the period per estimate (the loop's integral term). */
  frequencyGain: number;
  /** Relative tempo difference beyond which an estimate counts as a disagreement. */
  relockRatio: number;
  /** Seconds of continuous disagreement before the tempo re-locks. */
  relockSeconds: number;
  /** Smoothed activity below this mutes the music. */
  minActivity: number;
  /** Seconds of low activity after which the tracker unlocks and forgets its history. */
  unlockSeconds: number;
  /** Time constant of the activity, energy and style smoothing, seconds. */
  smoothSeconds: number;
  /** Called for every beat that the tracker passes while the music plays (time in s, tempo in bpm); for evaluation. */
  onBeat: ((time: number, bpm: number) => void) | null;
}

/** Tempo priors when nothing better is known: typical ballroom tempos (cha-cha, rumba, tango, waltz), bpm. */
export const DEFAULT_STYLE_BPM: readonly number[] = Object.freeze([124, 100, 126, 87]);

export const DEFAULT_ROLL2SCORE_OPTIONS: Readonly<Roll2ScoreOptions> = Object.freeze({
  fps: 25,
  lookahead: 0.12,
  lateTolerance: 0.05,
  historySeconds: 8,
  warmupSeconds: 2.4,
  estimateEvery: 5,
  minBpm: 50,
  maxBpm: 200,
  styleBpm: DEFAULT_STYLE_BPM,
  priorOctaves: 0.35,
  hintOctaves: 0.04,
  tempoGain: 0.15,
  phaseGain: 0.15,
  frequencyGain: 0.005,
  relockRatio: 0.06,
  relockSeconds: 3,
  minActivity: 0.15,
  unlockSeconds: 2,
  smoothSeconds: 0.4,
  onBeat: null,
});

/** Fills and range-checks Roll2Score options. */
export function roll2ScoreOptions(opts: Partial<Roll2ScoreOptions> = {}): Roll2ScoreOptions {
  const o: Roll2ScoreOptions = { ...DEFAULT_ROLL2SCORE_OPTIONS, ...opts };
  const check = (ok: boolean, msg: string): void => {
    if (!ok) throw new Error(`roll2score: ${msg}`);
  };
  check(o.fps > 0 && o.fps <= 240, `fps must be in (0, 240] (got ${o.fps})`);
  check(o.lookahead >= 0 && o.lookahead <= 1, `lookahead must be in [0, 1] s (got ${o.lookahead})`);
  check(o.lateTolerance >= 0 && o.lateTolerance <= 1, `lateTolerance must be in [0, 1] s (got ${o.lateTolerance})`);
  check(o.minBpm > 0 && o.maxBpm > o.minBpm, `need 0 < minBpm < maxBpm (got ${o.minBpm}, ${o.maxBpm})`);
  check(o.historySeconds >= (2 * 2 * 60) / o.minBpm, `historySeconds must cover two periods of 2 beats at minBpm (>= ${(240 / o.minBpm).toFixed(1)})`);
  check(o.warmupSeconds > 0 && o.warmupSeconds <= o.historySeconds, 'warmupSeconds must be in (0, historySeconds]');
  check(Number.isInteger(o.estimateEvery) && o.estimateEvery >= 1, 'estimateEvery must be an integer >= 1');
  check(o.styleBpm.length === STYLES.length && o.styleBpm.every((b) => b > 0), `styleBpm needs ${STYLES.length} positive tempos (${STYLES.join(', ')})`);
  check(o.priorOctaves > 0 && o.hintOctaves > 0, 'priorOctaves and hintOctaves must be > 0');
  for (const k of ['tempoGain', 'phaseGain', 'frequencyGain', 'minActivity'] as const) check(o[k] >= 0 && o[k] <= 1, `${k} must be in [0, 1] (got ${o[k]})`);
  check(o.relockRatio > 0 && o.relockSeconds >= 0 && o.unlockSeconds > 0 && o.smoothSeconds > 0, 'relockRatio, unlockSeconds, smoothSeconds must be > 0');
  return o;
}

/** Beats per bar of each style: waltz 3/4, cha-cha and rumba 4/4, tango 2/4. */
export const BEATS_PER_BAR: Readonly<Record<Style, number>> = Object.freeze({ 'cha-cha': 4, rumba: 4, tango: 2, waltz: 3 });

interface Chord {
  /** Root pitch class, semitones above C. */
  root: number;
  minor: boolean;
}
/** I - vi - IV - V in C major (waltz, cha-cha) and i - iv - V - i in A minor (rumba, tango), one chord per bar. */
const MAJOR_PROGRESSION: readonly Chord[] = [{ root: 0, minor: false }, { root: 9, minor: true }, { root: 5, minor: false }, { root: 7, minor: false }];
const MINOR_PROGRESSION: readonly Chord[] = [{ root: 9, minor: true }, { root: 2, minor: true }, { root: 4, minor: false }, { root: 9, minor: true }];

const EMPTY: NoteEvent[] = [];

/** Wraps x into [-0.5, 0.5). */
function wrapHalf(x: number): number {
  return x - Math.floor(x + 0.5);
}

class Roll2ScoreImpl implements Roll2Score {
  readonly options: Roll2ScoreOptions;
  private readonly cap: number;
  private readonly curve: Float64Array;
  private readonly times: Float64Array;
  private readonly ac: Float64Array;
  private readonly harmRe = new Float64Array(3);
  private readonly harmIm = new Float64Array(3);
  private readonly minLag: number;
  private readonly maxLag: number;
  private head = 0;
  private count = 0;
  private frames = 0;
  private activity = 0;
  private energy = 0;
  private tempoHint = 0;
  private readonly styleProb = new Float64Array(STYLES.length);
  private lowTime = 0;
  private disagree = 0;
  /** Whether a tempo and phase are locked. */
  locked = false;
  /** `due` only: beats decided after their time (started at once) and beats skipped as too late, since creation. */
  lateBeats = 0;
  skippedBeats = 0;
  /** Beat period, seconds. */
  private period = 0.5;
  /** Time of the next beat whose notes are not yet returned, seconds. */
  private nextBeat = 0;
  private beatInBar = 0;
  private bar = 0;
  private styleIndex = STYLES.indexOf('waltz');
  /** Smoothed activity above `minActivity` at the last roll frame. */
  private playing = false;
  /** Just in time: notes decided with their beat but starting at or after the last horizon (off-beats), in order. */
  private readonly pending: NoteEvent[] = [];
  /** Just in time: the array `due` returns (reused). */
  private readonly dueOut: NoteEvent[] = [];
  /** Just in time: the latest horizon passed to `due` (beats before it are decided), seconds. */
  private decidedUntil = -Infinity;

  constructor(options: Roll2ScoreOptions) {
    this.options = options;
    this.cap = Math.round(options.historySeconds * options.fps);
    this.curve = new Float64Array(this.cap);
    this.times = new Float64Array(this.cap);
    this.minLag = Math.max(1, Math.floor((60 * options.fps) / options.maxBpm));
    this.maxLag = Math.ceil((60 * options.fps) / options.minBpm);
    this.ac = new Float64Array(2 * this.maxLag + 2);
    this.reset();
  }

  /** Current tempo in bpm while locked, else 0. */
  get bpm(): number {
    return this.locked ? 60 / this.period : 0;
  }

  /** Style the arrangement currently follows. */
  get style(): Style {
    return STYLES[this.styleIndex];
  }

  reset(): void {
    this.head = 0;
    this.count = 0;
    this.frames = 0;
    this.activity = 0;
    this.energy = 0;
    this.tempoHint = 0;
    this.styleProb.fill(1 / STYLES.length);
    this.lowTime = 0;
    this.disagree = 0;
    this.locked = false;
    this.beatInBar = 0;
    this.bar = 0;
    this.playing = false;
    this.pending.length = 0;
    this.dueOut.length = 0;
    this.decidedUntil = -Infinity;
  }

  update(roll: RollFrame, time: number): NoteEvent[] {
    const o = this.options;
    const dt = 1 / o.fps;
    this.track(roll, time, time);
    if (!this.locked) return EMPTY;

    let notes: NoteEvent[] = EMPTY;
    // Beats already passed (e.g. after a stall) are skipped without notes.
    while (this.nextBeat < time - dt) this.advanceBeat();
    while (this.nextBeat < time + o.lookahead) {
      if (this.playing) {
        if (notes === EMPTY) notes = [];
        this.decideBeat(Math.max(this.nextBeat, time), notes);
      }
      this.advanceBeat();
    }
    return notes;
  }

  observe(roll: RollFrame, time: number): void {
    this.track(roll, time, this.decidedUntil);
  }

  due(now: number, horizon: number): readonly NoteEvent[] {
    const late = now - this.options.lateTolerance;
    if (this.locked) {
      while (this.nextBeat < late) {
        if (this.playing) this.skippedBeats++;
        this.advanceBeat();
      }
      while (this.nextBeat < horizon) {
        if (this.playing) {
          if (this.nextBeat < now) this.lateBeats++;
          this.decideBeat(Math.max(this.nextBeat, now), this.pending);
        }
        this.advanceBeat();
      }
    }
    if (horizon > this.decidedUntil) this.decidedUntil = horizon;
    const p = this.pending;
    if (p.length === 0) return EMPTY;
    const out = this.dueOut;
    out.length = 0;
    let keep = 0;
    for (let i = 0; i < p.length; i++) {
      const n = p[i];
      if (n.time >= horizon) p[keep++] = n;
      else if (n.time >= late) out.push(n);
    }
    p.length = keep;
    return out.length > 0 ? out : EMPTY;
  }

  /** Arranges the current beat at `t` into `notes` and reports it. */
  private decideBeat(t: number, notes: NoteEvent[]): void {
    if (this.beatInBar === 0) this.chooseStyle();
    this.arrange(t, notes);
    this.options.onBeat?.(t, 60 / this.period);
  }

  /**
   * Tracker part of a roll frame at `time`: smoothing, history, lock, tempo and phase. A phase correction never moves
   * the next beat before `notBefore` (seconds; the beats before it are decided).
   */
  private track(roll: RollFrame, time: number, notBefore: number): void {
    const o = this.options;
    const dt = 1 / o.fps;
    const a = Math.min(1, dt / o.smoothSeconds);
    const act = Number.isFinite(roll.activity) ? roll.activity : 0;
    this.activity += a * (act - this.activity);
    this.energy += a * ((Number.isFinite(roll.energy) ? roll.energy : 0) - this.energy);
    const hint = roll.tempo ?? 0;
    if (hint > 0 && Number.isFinite(hint)) this.tempoHint = this.tempoHint > 0 ? this.tempoHint + a * (hint - this.tempoHint) : hint;
    if (act > o.minActivity) {
      const as = a * 0.2; // style changes slowly (time constant 5x smoothSeconds)
      for (let s = 0; s < STYLES.length; s++) this.styleProb[s] += as * ((roll.style[s] ?? 0) - this.styleProb[s]);
    }
    this.curve[this.head] = Number.isFinite(roll.beat) ? Math.min(1, Math.max(0, roll.beat)) : 0;
    this.times[this.head] = time;
    this.head = (this.head + 1) % this.cap;
    if (this.count < this.cap) this.count++;
    this.frames++;

    const playing = this.activity >= o.minActivity;
    this.playing = playing;
    if (!playing) {
      this.lowTime += dt;
      if (this.lowTime >= o.unlockSeconds) {
        this.locked = false;
        this.count = 0;
      }
    } else this.lowTime = 0;

    if (this.count >= o.warmupSeconds * o.fps && this.frames % o.estimateEvery === 0 && (playing || this.locked)) this.estimate(time, notBefore);
  }

  private advanceBeat(): void {
    this.nextBeat += this.period;
    this.beatInBar++;
    if (this.beatInBar >= BEATS_PER_BAR[STYLES[this.styleIndex]]) {
      this.beatInBar = 0;
      this.bar++;
    }
  }

  /** Switches the arrangement's style at a bar line when another style is clearly more probable. */
  private chooseStyle(): void {
    let best = 0;
    for (let s = 1; s < STYLES.length; s++) if (this.styleProb[s] > this.styleProb[best]) best = s;
    if (best !== this.styleIndex && this.styleProb[best] > this.styleProb[this.styleIndex] + 0.1) {
      this.styleIndex = best;
      this.bar = 0;
    }
  }

  /** Tempo (s per beat) and beat phase from the history; updates the lock. */
  private estimate(now: number, notBefore: number): void {
    const o = this.options;
    const n = this.count;
    const start = (this.head - n + this.cap) % this.cap;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += this.curve[(start + i) % this.cap];
    mean /= n;
    // Autocorrelation of the mean-removed curve.
    const maxLag = Math.min(this.ac.length - 1, n - 1);
    for (let lag = 0; lag <= maxLag; lag++) {
      let s = 0;
      for (let i = lag; i < n; i++) s += (this.curve[(start + i) % this.cap] - mean) * (this.curve[(start + i - lag) % this.cap] - mean);
      this.ac[lag] = s / (n - lag);
    }
    for (let lag = maxLag + 1; lag < this.ac.length; lag++) this.ac[lag] = 0;
    if (!(this.ac[0] > 1e-6)) return; // flat curve: nothing to track
    // Prior centre: the roll's tempo hint, else the style-weighted training tempo (geometric mean).
    let centre = this.tempoHint;
    const width = centre > 0 ? o.hintOctaves : o.priorOctaves;
    if (!(centre > 0)) {
      let lg = 0;
      let w = 0;
      for (let s = 0; s < STYLES.length; s++) {
        lg += this.styleProb[s] * Math.log2(o.styleBpm[s]);
        w += this.styleProb[s];
      }
      centre = 2 ** (lg / w);
    }
    // Score candidate tempos on a 0.5% log grid; interpolate the autocorrelation at fractional lags.
    const step = Math.log2(1.005);
    let bestLog = 0;
    let bestScore = -Infinity;
    let prevScore = -Infinity;
    let prevPrevScore = -Infinity;
    let refine = 0;
    // Candidates within 2.5 prior widths of the centre.
    const lo = Math.max(Math.log2(o.minBpm), Math.log2(centre) - 2.5 * width);
    const hi = Math.min(Math.log2(o.maxBpm), Math.log2(centre) + 2.5 * width);
    for (let lb = lo; lb <= hi + 1e-9; lb += step) {
      const lag = (60 * o.fps) / 2 ** lb;
      const score = this.score(lag, lb, centre, width);
      if (prevScore > bestScore && prevScore >= score && prevScore >= prevPrevScore) {
        bestScore = prevScore;
        bestLog = lb - step;
        const den = prevPrevScore - 2 * prevScore + score;
        refine = den < 0 && Number.isFinite(prevPrevScore) ? (0.5 * (prevPrevScore - score)) / den : 0;
      }
      prevPrevScore = prevScore;
      prevScore = score;
    }
    // No periodicity near the centre: a tempo hint is taken as it is, a style prior alone is not enough.
    if (!(bestScore > 0.01 * this.ac[0]) && !(this.tempoHint > 0)) return;
    const estPeriod = bestScore > 0.01 * this.ac[0] ? 60 / 2 ** (bestLog + refine * step) : 60 / centre;
    if (!this.locked) {
      this.period = estPeriod;
      this.locked = true;
      this.disagree = 0;
      this.beatInBar = 0;
      this.bar = 0;
      this.nextBeat = this.phaseBeat(start, n, now, this.period, null);
      return;
    }
    const ratio = Math.abs(estPeriod / this.period - 1);
    if (ratio < o.relockRatio) {
      this.period += o.tempoGain * (estPeriod - this.period);
      this.disagree = 0;
    } else {
      this.disagree += o.estimateEvery / o.fps;
      if (this.disagree >= o.relockSeconds) {
        this.period = estPeriod;
        this.disagree = 0;
      }
    }
    // Phase: move the next beat toward the curve's beat grid by a bounded share of the error.
    const target = this.phaseBeat(start, n, now, this.period, this.nextBeat);
    const err = wrapHalf((target - this.nextBeat) / this.period);
    this.nextBeat += o.phaseGain * err * this.period;
    // Second-order loop: a persistent phase error means the period is off.
    this.period *= 1 + o.frequencyGain * err;
    if (this.nextBeat < notBefore) this.nextBeat = notBefore;
  }

  private score(lag: number, logBpm: number, centre: number, width: number): number {
    const z = (logBpm - Math.log2(centre)) / width;
    return Math.exp(-0.5 * z * z) * (this.acAt(lag) + 0.5 * this.acAt(2 * lag));
  }

  private acAt(x: number): number {
    const i = Math.floor(x);
    if (i >= this.ac.length - 1) return 0;
    const f = x - i;
    return this.ac[i] * (1 - f) + this.ac[i + 1] * f;
  }

  /**
   * The first beat at or after `now` of the grid with period `period` that best hits the curve: the phase maximizing
   * the curve's first three harmonics at 1 / period (a comb over the recent frames, recent ones weighted more).
   * Harmonics matter when the curve pulses at a multiple of the tempo (its fundamental then cancels); the comb then
   * has several equal maxima, so a locked tracker searches only within 0.3 beat of its own grid (`around`).
   */
  private phaseBeat(start: number, n: number, now: number, period: number, around: number | null): number {
    const re = this.harmRe;
    const im = this.harmIm;
    re.fill(0);
    im.fill(0);
    const tau = this.options.historySeconds / 3;
    for (let i = 0; i < n; i++) {
      const k = (start + i) % this.cap;
      const t = this.times[k] - now;
      const w = Math.exp(t / tau) * this.curve[k];
      const ang = (2 * Math.PI * t) / period;
      for (let h = 0; h < re.length; h++) {
        re[h] += w * Math.cos((h + 1) * ang);
        im[h] += w * Math.sin((h + 1) * ang);
      }
    }
    // Comb value at beat offset x (cycles): sum over harmonics of Re(C_h e^{-2 pi i h x}); grid search, then refine.
    const comb = (x: number): number => {
      let v = 0;
      for (let h = 0; h < re.length; h++) v += re[h] * Math.cos(2 * Math.PI * (h + 1) * x) + im[h] * Math.sin(2 * Math.PI * (h + 1) * x);
      return v;
    };
    const G = 48;
    const centre = around === null ? 0 : Math.round((((around - now) / period) % 1) * G);
    const span = around === null ? G / 2 : Math.round(0.3 * G);
    let best = 0;
    let bestV = -Infinity;
    for (let g = centre - span; g < centre + span; g++) {
      const v = comb(g / G);
      if (v > bestV) {
        bestV = v;
        best = g;
      }
    }
    const y0 = comb((best - 1) / G);
    const y2 = comb((best + 1) / G);
    const den = y0 - 2 * bestV + y2;
    const x = (best + (den < 0 ? (0.5 * (y0 - y2)) / den : 0)) / G;
    let b = now + x * period;
    while (b < now) b += period;
    while (b - period >= now) b -= period;
    return b;
  }

  /** Appends the notes of the beat at `t` (the current beat of the bar) to `notes`. */
  private arrange(t: number, notes: NoteEvent[]): void {
    const style = STYLES[this.styleIndex];
    const T = this.period;
    const v = Math.min(1, Math.max(0.15, 0.35 + 0.6 * this.energy));
    const minor = style === 'rumba' || style === 'tango';
    const chord = (minor ? MINOR_PROGRESSION : MAJOR_PROGRESSION)[this.bar % 4];
    const b = this.beatInBar;
    const bass = 36 + chord.root; // C2..B2
    const fifth = bass + 7;
    const push = (instrument: NoteEvent['instrument'], midi: number, at: number, duration: number, velocity: number): void => {
      notes.push({ instrument, midi, time: at, duration, velocity: Math.min(1, Math.max(0, velocity)) });
    };
    const triad = (at: number, duration: number, velocity: number): void => {
      let root = 60 + chord.root;
      if (root > 64) root -= 12; // keep the voicing around middle C
      push('piano', root, at, duration, velocity);
      push('piano', root + (chord.minor ? 3 : 4), at, duration, velocity);
      push('piano', root + 7, at, duration, velocity);
    };
    if (style === 'waltz') {
      // 3/4: bass on 1, piano chords on 2 and 3.
      if (b === 0) {
        push('bass', bass, t, 0.9 * T, v);
        push('kick', 36, t, 0.1, 0.6 * v);
      } else {
        triad(t, 0.7 * T, 0.75 * v);
        push('hihat', 42, t, 0.05, 0.3 * v);
      }
    } else if (style === 'cha-cha') {
      // 4/4: bass on 1 and 3, chords on 2 and 3, "cha-cha-cha" on 4, 4-and, (1).
      push('hihat', 42, t, 0.05, (b === 0 ? 0.6 : 0.35) * v);
      if (b === 0 || b === 2) {
        push('bass', b === 0 ? bass : fifth, t, 0.8 * T, v);
        push('kick', 36, t, 0.1, 0.7 * v);
      }
      if (b === 1 || b === 2) triad(t, 0.45 * T, 0.7 * v);
      if (b === 3) {
        triad(t, 0.35 * T, 0.8 * v);
        triad(t + T / 2, 0.35 * T, 0.8 * v);
        push('snare', 38, t, 0.1, 0.5 * v);
        push('snare', 38, t + T / 2, 0.1, 0.5 * v);
      }
    } else if (style === 'rumba') {
      // Slow 4/4: bass on 1 and 4-and, chords on 2 and 3, soft hihat on every beat.
      push('hihat', 42, t, 0.05, 0.25 * v);
      if (b === 0) {
        push('bass', bass, t, 1.5 * T, v);
        push('kick', 36, t, 0.1, 0.5 * v);
      }
      if (b === 1 || b === 2) triad(t, 0.9 * T, 0.6 * v);
      if (b === 3) push('bass', fifth, t + T / 2, 0.45 * T, 0.8 * v);
    } else {
      // Tango, staccato 2/4 march: kick and bass on 1, snare on 2, short chords on both beats and on 2-and.
      if (b === 0) {
        push('kick', 36, t, 0.1, 0.8 * v);
        push('bass', bass, t, 0.25 * T, v);
        triad(t, 0.2 * T, 0.85 * v);
      } else {
        push('snare', 38, t, 0.1, 0.6 * v);
        triad(t, 0.2 * T, 0.7 * v);
        triad(t + T / 2, 0.15 * T, 0.55 * v);
      }
    }
  }
}

/** Roll2Score with its tracker state (`bpm`, `style`, `locked`) and the just-in-time interface. */
export type Roll2ScoreTracker = Roll2Score & {
  readonly bpm: number;
  readonly style: Style;
  readonly locked: boolean;
  readonly options: Roll2ScoreOptions;
  /** `due` only: beats decided after their time (started at once) and beats skipped as too late, since creation. */
  readonly lateBeats: number;
  readonly skippedBeats: number;
  /**
   * Just in time: feeds the roll frame observed at `time` (seconds, AudioContext clock) to the tracker and decides no
   * notes. Do not mix with `update` on one instance.
   */
  observe(roll: RollFrame, time: number): void;
  /**
   * Just in time: decides the notes that start before `horizon` (seconds, AudioContext clock) when the clock reads
   * `now`; call it every few ms with a horizon a few ms ahead. A beat (or queued note) more than `lateTolerance` before
   * `now` is skipped, a less late one starts at `now`. Returns a reused array, valid until the next call; no allocation
   * when nothing is due.
   */
  due(now: number, horizon: number): readonly NoteEvent[];
};

/** Creates a Roll2Score (options filled and checked by {@link roll2ScoreOptions}). */
export function createRoll2Score(options: Partial<Roll2ScoreOptions> = {}): Roll2ScoreTracker {
  return new Roll2ScoreImpl(roll2ScoreOptions(options));
}
