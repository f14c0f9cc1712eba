import { isCalendarDate } from '../util/calendar.js';
import { parseInstant } from '../util/instant.js';

/**
 * The `format`s the schemas use, for the Ajv-generated validators (src/schema/generated/) and
 * the agreement test. `date` is a real calendar day (2026-02-30 fails), not just the shape.
 */
export const formats = {
  date: isCalendarDate,
  // An instant with a zone, on a day that exists (2026-02-30T00:00:00Z fails).
  'date-time': (value: string): boolean => parseInstant(value) !== undefined,
};
