import { describe, expect, it } from 'vitest';
import { ClockBook } from '../../server/clock/clockBook.js';
import { ControlledClock } from '../../server/clock/controlledClock.js';

/** How many merchants have a clock of their own (the book keeps them privately). */
const ownClocks = (book: ClockBook) => (book as unknown as { merchants: Map<string, unknown> }).merchants.size;

describe('ClockBook', () => {
  it('shows a merchant that never moved its clock the same view as the clock control would make, without keeping one', () => {
    let wall = Date.UTC(2030, 0, 1);
    const book = new ClockBook(new ControlledClock(() => wall));
    book.global.advance(3_600_000);
    for (let i = 0; i < 100; i++) book.view(`m${i}`);
    expect(ownClocks(book)).toBe(0);
    expect(book.view('m1').state()).toEqual(book.control('m1').state());
    expect(ownClocks(book)).toBe(1);
    wall += 1000;
    expect(book.view('m2').now()).toBe(wall + 3_600_000);
  });

  it('shows a merchant its own clock once it has one, and the global clock without a merchant', () => {
    const book = new ClockBook(new ControlledClock(() => Date.UTC(2030, 0, 1)));
    book.control('m1').advance(86_400_000);
    expect(book.view('m1').state().offsetMs).toBe(86_400_000);
    expect(book.view('m1').now()).toBe(book.global.now() + 86_400_000);
    expect(book.view()).toBe(book.global);
  });
});
