/**
 * The character codes the JSON readers of `conform` compare with `charCodeAt`, written once.
 *
 * @module
 */

export const TAB = 9;
export const NEWLINE = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const MINUS = 45;
export const ZERO = 48;
export const NINE = 57;
export const OPEN_BRACKET = 91;
export const BACKSLASH = 92;
export const CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
