/** Ajv options of the generated validators (the agreement test compiles the shipped schemas with them). */
export declare const AJV_OPTIONS: Record<string, unknown>;
/** Writes src/schema/generated/{config,manifest}-validator.js; returns their paths. */
export declare function generateValidators(): Promise<string[]>;
