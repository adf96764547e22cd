import { afterEach, describe, expect, it } from 'vitest';
import { chartFrame, type ChartFrame } from '../../src/dashboard/chart-frame.js';
import { setLanguage } from '../../src/i18n/i18n.js';

afterEach(() => setLanguage('en'));

const FRAME: ChartFrame = {
  plot: { left: 40, right: 340, top: 10, bottom: 110 },
  grid: [
    { value: 0, y: 110 },
    { value: 1500, y: 60 },
  ],
  timeTicks: [
    { label: '10:00', x: 41 },
    { label: '12:00', x: 190 },
    { label: '14:00<', x: 339 },
  ],
  valueGap: 6,
  tickLength: 4,
  labelDrop: 16,
};

describe('the frame of a dashboard chart', () => {
  it('draws a grid line across the plot at each value, with the value on the left, in the language\'s numbers', () => {
    setLanguage('pt-BR');
    const svg = chartFrame(FRAME);
    expect(svg).toContain('<line class="grid" x1="40" x2="340" y1="60" y2="60"/><text x="34" y="60" text-anchor="end" dominant-baseline="middle">1.500</text>');
    expect(svg).toContain('<line class="grid" x1="40" x2="340" y1="110" y2="110"/><text x="34" y="110" text-anchor="end" dominant-baseline="middle">0</text>');
  });

  it('draws each time tick below the plot with its label, kept inside the plot at both ends, as text', () => {
    const svg = chartFrame(FRAME);
    expect(svg).toContain('<line class="axis" x1="41" x2="41" y1="110" y2="114"/><text x="41" y="126" text-anchor="start">10:00</text>');
    expect(svg).toContain('<text x="190" y="126" text-anchor="middle">12:00</text>');
    expect(svg).toContain('<text x="339" y="126" text-anchor="end">14:00&lt;</text>');
  });

  it('draws the two axes along the plot\'s left and bottom edges', () => {
    const svg = chartFrame({ ...FRAME, grid: [], timeTicks: [] });
    expect(svg.split('\n')).toEqual([
      '<line class="axis" x1="40" x2="40" y1="10" y2="110"/>',
      '<line class="axis" x1="40" x2="340" y1="110" y2="110"/>',
    ]);
  });
});
