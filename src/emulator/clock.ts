import { utcCalendarDate, type CalendarDate } from '../domain/calendar-date.js';

/**
 * The emulator's notion of time. Real time by default; tests fix it at an
 * instant (or at noon UTC of a given day) so that dates in answers are known.
 */
export class EmulatorClock {
  private fixed: Date | null;

  constructor(fixed: Date | null = null) {
    this.fixed = fixed;
  }

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  today(): CalendarDate {
    return utcCalendarDate(this.now());
  }

  /** `null` returns to real time. */
  fix(instant: Date | null): void {
    this.fixed = instant;
  }

  isFixed(): boolean {
    return this.fixed !== null;
  }
}

export function noonUtc(day: CalendarDate): Date {
  return new Date(`${day}T12:00:00.000Z`);
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the server's timestamp format. */
export function sqlTimestamp(instant: Date): string {
  return instant.toISOString().slice(0, 19).replace('T', ' ');
}
