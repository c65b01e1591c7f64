import type { FastifyInstance } from 'fastify';
import type { ControlledClock } from '../clock/controlledClock.js';
import { echo } from '../domain/echo.js';
import { apiError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { saveClock } from '../store/serverState.js';
import { parseJsonBody } from '../http/jsonBody.js';
import { merchantParam } from '../http/merchantParam.js';
import type { MockContext } from '../context.js';

function clockView(clock: ControlledClock) {
  const s = clock.state();
  return { now: new Date(s.now).toISOString(), amazonTimestamp: formatTimestamp(s.now), offsetSeconds: s.offsetMs / 1000, frozen: s.frozen };
}

const allowed = new Set(['advanceSeconds', 'set', 'frozen']);

/** Every clock stays within these instants, so every expiry computed from it is a valid timestamp. */
export const EARLIEST_CLOCK = Date.UTC(1970, 0, 1);
export const LATEST_CLOCK = Date.UTC(9000, 0, 1);
/** One move is at most this far (a thousand years). */
export const MAX_ADVANCE_SECONDS = 1000 * 365.25 * 86_400;

const inRange = (t: number) => Number.isFinite(t) && t >= EARLIEST_CLOCK && t <= LATEST_CLOCK;
const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * GET/POST /__admin/clock[?merchant=id]: read, advance, set or freeze the server clock, or one
 * merchant's own clock; due transitions run at once.
 */
export function clockRoutes(app: FastifyInstance, deps: MockContext): void {
  app.get('/__admin/clock', async (request) => clockView(deps.clocks.view(merchantParam(request.query))));
  app.post('/__admin/clock', async (request) => {
    const body = parseJsonBody(request.body);
    for (const key of Object.keys(body)) if (!allowed.has(key)) throw apiError('UnrecognizedField', `The field '${key}' is invalid for this API. Use advanceSeconds, set or frozen.`);
    const { advanceSeconds, set, frozen } = body;
    if (advanceSeconds !== undefined && (typeof advanceSeconds !== 'number' || !Number.isFinite(advanceSeconds) || Math.abs(advanceSeconds) > MAX_ADVANCE_SECONDS)) {
      throw apiError('InvalidParameterValue', `The value '${echo(advanceSeconds)}' provided for 'advanceSeconds' is invalid. Expected a number of seconds between -${MAX_ADVANCE_SECONDS} and ${MAX_ADVANCE_SECONDS}.`);
    }
    let instant: number | undefined;
    if (set !== undefined) {
      // Only ISO 8601 with an explicit zone: anything else would be read in the process's time zone.
      instant = typeof set === 'string' && isoWithZone.test(set) ? Date.parse(set) : NaN;
      if (Number.isNaN(instant)) throw apiError('InvalidParameterValue', "The value provided for 'set' is invalid. Expected an ISO 8601 time such as 2030-01-01T00:00:00Z.");
      if (!inRange(instant)) throw apiError('InvalidParameterValue', `The value '${echo(set)}' provided for 'set' is invalid. Expected a time from 1970-01-01 to 9000-01-01.`);
    }
    if (frozen !== undefined && typeof frozen !== 'boolean') throw apiError('InvalidParameterValue', "The value provided for 'frozen' is invalid. Expected true or false.");
    // Validate everything before changing anything. With ?merchant= only that merchant's clock moves.
    const merchant = merchantParam(request.query);
    const clock = deps.clocks.control(merchant);
    const before = clock.setting();
    if (frozen === true) clock.freeze();
    if (frozen === false) clock.thaw();
    if (instant !== undefined) clock.set(instant);
    if (advanceSeconds !== undefined) clock.advance(Math.round((advanceSeconds as number) * 1000));
    // A move that takes this clock (or, moving the server clock, any merchant's, ahead or behind) out of range changes nothing.
    if (!deps.clocks.allWithin(EARLIEST_CLOCK, LATEST_CLOCK)) {
      clock.restore(before);
      throw apiError('InvalidParameterValue', `The clock would leave the supported range (1970-01-01 to 9000-01-01); it was not moved.`);
    }
    await saveClock(deps.store, deps.clocks, merchant, before); // survives a restart
    await deps.settler.settleAll();
    return clockView(clock);
  });
}
