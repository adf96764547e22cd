/** What the emulator has served: per-route request counts, injected faults and sent e-mails. */
export interface EmulatorStatsSnapshot {
  readonly requests: Record<string, number>;
  readonly faults: Record<string, number>;
  readonly emailsSent: number;
  readonly lastEmailRecipients: readonly string[];
}

const RECIPIENTS_KEPT = 20;

/** Whether a route writes, as the sync counts writes: POST/DELETE on the API other than logging in. */
export function isWriteRoute(route: string): boolean {
  return /^(POST|DELETE) \/admin\//.test(route) && route !== 'POST /admin/login';
}

/** Write requests among per-route request counts. */
export function countWrites(requests: Readonly<Record<string, number>>): number {
  return Object.entries(requests).reduce((sum, [route, count]) => (isWriteRoute(route) ? sum + count : sum), 0);
}

export class EmulatorStats {
  private requests: Record<string, number> = {};
  private faults: Record<string, number> = {};
  private emailsSent = 0;
  private recipients: string[] = [];

  countRequest(route: string): void {
    this.requests[route] = (this.requests[route] ?? 0) + 1;
  }

  countFault(fault: string): void {
    this.faults[fault] = (this.faults[fault] ?? 0) + 1;
  }

  countEmail(to: string): void {
    this.emailsSent++;
    this.recipients = [...this.recipients.slice(1 - RECIPIENTS_KEPT), to];
  }

  snapshot(): EmulatorStatsSnapshot {
    return { requests: { ...this.requests }, faults: { ...this.faults }, emailsSent: this.emailsSent, lastEmailRecipients: [...this.recipients] };
  }

  reset(): void {
    this.requests = {};
    this.faults = {};
    this.emailsSent = 0;
    this.recipients = [];
  }
}
