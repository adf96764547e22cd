import { recordScenario } from './scenario-results.js';

// One row of docs/reliability.md per family of hostile input, gathered over the
// family's cases: written only once every case has checked its promises.

export interface HostileCase {
  /** Runs until one ended in sync with healthy input: the hostile run plus the healing ones. */
  readonly runs: number;
  readonly operationsFailed: number;
  readonly requestsRetried: number;
  /** What the backup lost or had overwritten; empty when bad data left it untouched. */
  readonly lost: readonly string[];
  /** A few words for the notes: `primary truncated devices: exit 4`. */
  readonly note: string;
}

export class HostileFamily {
  private readonly cases: HostileCase[] = [];

  constructor(
    private readonly family: string,
    private readonly scenario: string,
    private readonly injected: string,
    private readonly expectedCases: number,
  ) {}

  add(result: HostileCase): void {
    this.cases.push(result);
  }

  /** Writes the row when every case of the family got as far as adding its figures. */
  async record(extraNotes = ''): Promise<void> {
    if (this.cases.length !== this.expectedCases) return;
    const lost = this.cases.flatMap((result) => result.lost);
    await recordScenario({
      id: `hostile-${this.family}`,
      group: 'hostile',
      scenario: this.scenario,
      injected: this.injected,
      runsToConverge: Math.max(...this.cases.map((result) => result.runs)),
      operationsFailed: this.cases.reduce((sum, result) => sum + result.operationsFailed, 0),
      requestsRetried: this.cases.reduce((sum, result) => sum + result.requestsRetried, 0),
      lost: lost.length === 0 ? 'nothing' : lost.join('; '),
      notes: [this.cases.map((result) => result.note).join('; '), extraNotes].filter((text) => text !== '').join('. '),
    });
  }
}
