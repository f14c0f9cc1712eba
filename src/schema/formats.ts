import { isCalendarDate } from '../util/calendar.js';

/**
 * The `format`s the schemas use, for the Ajv-generated validators (src/schema/generated/) and
 * the agreement test. `date` is a real calendar day (2026-02-30 fails), not just the shape.
 */
export const formats = {
  date: isCalendarDate,
  'date-time': (value: string): boolean => !Number.isNaN(Date.parse(value)),
};
