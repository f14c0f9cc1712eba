// Types of the validator scripts/gen-validators.mjs generates from src/config/schema.ts (the .js
// beside this file is written at build and test time and is not committed).
import type { GeneratedValidator } from '../schema-errors.js';

export declare const validate: GeneratedValidator;
export default validate;
