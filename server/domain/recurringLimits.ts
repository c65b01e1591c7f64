import { apiError } from './errors.js';
import { formatMinor, minorOf } from './money.js';
import type { Price } from './types.js';

/**
 * Amazon's "Monthly recurring charge limits" page: how much one Recurring Charge Permission may
 * charge per calendar month, by currency (major units; the limit resets at the end of every
 * month). USD 1,000 is on the page; the other currencies follow Amazon's table of supported
 * currencies and monthly billing-agreement limits.
 */
export const MONTHLY_RECURRING_LIMITS: Readonly<Record<string, number>> = {
  USD: 1_000, EUR: 1_000, GBP: 1_000, AUD: 1_000, CHF: 1_000, NZD: 1_000,
  DKK: 10_000, HKD: 10_000, NOK: 10_000, SEK: 10_000, ZAR: 10_000,
  JPY: 100_000,
};

/** What a Recurring permission has charged in one calendar month (UTC, server clock). */
export interface RecurringPeriod {
  month: string;
  chargedMinor: number;
}

/** What one charge adds to its permission's month, kept on the charge so it can be given back. */
export interface RecurringCount {
  month: string;
  amountMinor: number;
}

const monthOf = (now: number) => new Date(now).toISOString().slice(0, 7);

/**
 * The period after charging `amountMinor` now, or 400 PeriodicAmountExceeded when the month's
 * total would pass the limit. The period is the calendar month whatever recurringMetadata.frequency
 * says (the page states a calendar-month limit; UNCONFIRMED for other frequencies).
 */
export function chargeWithinMonthlyLimit(period: RecurringPeriod | undefined, amount: Price, now: number): RecurringPeriod {
  const amountMinor = minorOf(amount);
  const currency = amount.currencyCode;
  const month = monthOf(now);
  const already = period?.month === month ? period.chargedMinor : 0;
  const limit = MONTHLY_RECURRING_LIMITS[currency];
  if (limit !== undefined) {
    const limitMinor = minorOf({ amount: String(limit), currencyCode: currency });
    if (already + amountMinor > limitMinor) {
      throw apiError(
        'PeriodicAmountExceeded',
        `The chargeAmount ${formatMinor(amountMinor, currency)} ${currency} would take this month's charges on the Recurring Charge Permission to ${formatMinor(already + amountMinor, currency)} ${currency}, above the monthly limit of ${formatMinor(limitMinor, currency)} ${currency}.`,
      );
    }
  }
  return { month, chargedMinor: already + amountMinor };
}

/** What a charge of `amount` made now counts toward its permission's month. */
export function recurringCountOf(amount: Price, now: number): RecurringCount {
  return { month: monthOf(now), amountMinor: minorOf(amount) };
}

/**
 * The period after a charge that took no money (Declined, or Canceled before any capture) gives
 * back what it counted, at `now`: only within the calendar month it was counted in, and never
 * below zero. Amazon's "Monthly recurring charge limits" page does not say whether such a charge
 * counts (UNCONFIRMED; the README's "Choices" explains why it does not here).
 */
export function giveBackToMonth(period: RecurringPeriod | undefined, counted: RecurringCount, now: number): RecurringPeriod | undefined {
  if (!period || period.month !== counted.month || monthOf(now) !== counted.month) return period;
  return { month: period.month, chargedMinor: Math.max(0, period.chargedMinor - counted.amountMinor) };
}
