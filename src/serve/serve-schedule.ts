/** `serve`'s sync schedule when `--every` is not given: at the top of every hour. */
export const DEFAULT_SERVE_SCHEDULE = '0 * * * *';
