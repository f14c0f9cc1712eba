import { ModelgovError } from '../../errors.js';
import type { CommandRun } from '../context.js';

export const run: CommandRun = async () => {
  throw new ModelgovError('INTERNAL', 'the init command is not implemented yet', { fix: 'Use a newer modelgov.' });
};
