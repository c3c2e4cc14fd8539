import { describe, expect, it } from 'vitest';
import { Ema, RateMeter, fmt } from './stats';

describe('Ema', () => {
  it('starts at the first value and moves 1/samples of the way', () => {
    const e = new Ema(4);
    expect(e.add(8)).toBe(8);
    expect(e.add(0)).toBe(6);
    expect(e.add(Number.NaN)).toBe(6);
  });
});

describe('RateMeter', () => {
  it('measures events per second from explicit timestamps', () => {
    const r = new RateMeter(5);
    expect(Number.isNaN(r.rate)).toBe(true);
    for (let i = 0; i < 10; i++) r.tick(i * 40);
    expect(r.rate).toBeCloseTo(25, 6);
  });
});

describe('fmt', () => {
  it('shows unknown values as a dash', () => {
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmt(1.234, 2)).toBe('1.23');
  });
});
