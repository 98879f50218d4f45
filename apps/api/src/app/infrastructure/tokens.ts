/** Injection tokens for what is not a class. */
export const SDO_CONFIG = Symbol('SDO_CONFIG');
export const API_OPTIONS = Symbol('API_OPTIONS');
